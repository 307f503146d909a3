// Recognizes activation functions that exporters spell as several elementwise nodes (torch.onnx
// writes GELU as Div -> Erf -> Add -> Mul -> Mul; gorch writes it from opset-17 primitives) by
// evaluating the nodes on probe points and comparing with the known functions.
import type { ONNXNode } from './onnx_file';
import type { ONNXTensor } from './tensor_data';

/** erf(x) in float64, to ~1e-15: Maclaurin series below 2.5, the erfc continued fraction above. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)).
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 60; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc (Abramowitz & Stegun 7.1.14), evaluated bottom-up.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

const PROBES = Array.from({ length: 41 }, (_, i) => -5 + i * 0.25);

/** The activations an elementwise region may compute, with their reference formulas. */
export const KNOWN_ACTIVATIONS: Record<string, (x: number) => number> = {
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  gelu_tanh: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

const UNARY: Record<string, (a: number) => number> = {
  Erf: erf, Tanh: Math.tanh, Relu: (a) => Math.max(a, 0), Sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  Neg: (a) => -a, Sqrt: Math.sqrt, Exp: Math.exp, Identity: (a) => a, Abs: Math.abs,
};
const BINARY: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Div: (a, b) => a / b, Pow: (a, b) => a ** b,
};

/**
 * Evaluates `nodes` (elementwise ops over `input` and scalar constants) at the probe points and
 * returns the name of the {@link KNOWN_ACTIVATIONS} entry it matches within 1e-4, or null when an
 * op is not elementwise, a constant is not a scalar, or nothing matches.
 */
export function identifyActivation(nodes: ONNXNode[], input: string, output: string, constants: ReadonlyMap<string, ONNXTensor>): string | null {
  const results = PROBES.map((p) => {
    const values = new Map<string, number>([[input, p]]);
    const read = (name: string): number | undefined => {
      if (values.has(name)) return values.get(name);
      const c = constants.get(name);
      return c && c.size === 1 ? Number((c.data as ArrayLike<number | bigint>)[0]) : undefined;
    };
    for (const node of nodes) {
      const args = node.inputs.map(read);
      if (args.some((a) => a === undefined) || node.outputs.length !== 1) return NaN;
      const f1 = UNARY[node.opType];
      const f2 = BINARY[node.opType];
      if (f1 && args.length === 1) values.set(node.outputs[0], f1(args[0]!));
      else if (f2 && args.length === 2) values.set(node.outputs[0], f2(args[0]!, args[1]!));
      else return NaN;
    }
    return values.get(output) ?? NaN;
  });
  if (results.some(Number.isNaN)) return null;
  for (const [name, f] of Object.entries(KNOWN_ACTIVATIONS)) {
    if (PROBES.every((p, i) => Math.abs(results[i] - f(p)) <= 1e-4 * Math.max(1, Math.abs(f(p))))) return name;
  }
  return null;
}
