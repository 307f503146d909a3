// Forward values and gradients of every differentiable op against PyTorch, one line per op
// (tinygrad's helper_test_op style). Goldens: test/golden/grads.json, made by
// tools/fixtures/autograd_grads.py. Tolerances: forward 1e-5 abs + 1e-4 rel, gradients 1e-4 abs + 1e-4 rel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';
import type { Tensor } from '@gorch/tensor';
import { backward } from '../src/index';
import { testBackends } from './backends';
import { expectClose, fromGolden, loadCases, num, type GoldenCase } from './golden';

type In = Record<string, Tensor>;
type A = Record<string, any>;
type OpFn = (x: In, attrs: A) => Tensor | Tensor[];

/** gorch's version of each torch expression in tools/fixtures/autograd_grads.py, keyed by case `op`. */
const OPS: Record<string, OpFn> = {
  add: ({ a, b }) => g.add(a, b),
  add_scalar: ({ a }, { value }) => g.add(a, value),
  sub: ({ a, b }) => g.sub(a, b),
  mul: ({ a, b }) => g.mul(a, b),
  mul_scalar: ({ a }, { value }) => a.mul(value),
  mul_self: ({ a }) => g.add(g.mul(a, a), a),
  div: ({ a, b }) => g.div(a, b),
  pow: ({ a, b }) => g.pow(a, b),
  pow_scalar: ({ a }, { exponent }) => a.pow(exponent),
  neg: ({ a }) => g.neg(a),
  exp: ({ a }) => g.exp(a),
  log: ({ a }) => g.log(a),
  sqrt: ({ a }) => g.sqrt(a),
  abs: ({ a }) => g.abs(a),
  tanh: ({ a }) => g.tanh(a),
  sigmoid: ({ a }) => g.sigmoid(a),
  relu: ({ a }) => g.relu(a),
  maximum: ({ a, b }) => g.maximum(a, b),
  minimum: ({ a, b }) => g.minimum(a, b),
  gelu: ({ a }, { approximate }) => g.gelu(a, { approximate }),
  where: ({ cond, a, b }) => g.where(cond, a, b),
  maskedFill: ({ a, mask }, { value }) => a.maskedFill(mask, num(value)),
  matmul: ({ a, b }) => g.matmul(a, b),
  linear: ({ x, weight, bias }) => g.linear(x, weight, bias),
  reshape: ({ a }, { shape }) => a.reshape(shape),
  transpose: ({ a }, { dim0, dim1 }) => g.transpose(a, dim0, dim1),
  permute: ({ a }, { dims }) => g.permute(a, dims),
  slice: ({ a }, { begin, end }) => begin.reduce((t: Tensor, b: number, d: number) => g.slice(t, d, b, end[d]), a),
  narrow: ({ a }, { dim, start, length }) => g.slice(a, dim, start, start + length),
  indexSelect: ({ a, index }, { dim }) => g.indexSelect(a, dim, index),
  embedding: ({ weight, index }) => g.embedding(index, weight),
  gather: ({ a, index }, { dim }) => g.gather(a, dim, index),
  cat: (x, { dim }) => g.cat(Object.values(x), dim),
  stack: (x, { dim }) => g.stack(Object.values(x), dim),
  split: ({ a }, { sizes, dim }) => g.split(a, sizes, dim),
  sum: ({ a }, { dim, keepdim }) => g.sum(a, dim ?? undefined, keepdim),
  mean: ({ a }, { dim, keepdim }) => g.mean(a, dim ?? undefined, keepdim),
  max: ({ a }, { dim, keepdim }) => g.max(a, dim ?? undefined, keepdim),
  min: ({ a }, { dim, keepdim }) => g.min(a, dim ?? undefined, keepdim),
  var: ({ a }, { dim, keepdim, correction }) => g.variance(a, dim ?? undefined, { keepdim, unbiased: correction === 1 }),
  softmax: ({ a }, { dim }) => g.softmax(a, dim),
  maskedSoftmax: ({ a, mask }, { dim, value }) => g.softmax(a.maskedFill(mask, num(value)), dim),
  logSoftmax: ({ a }, { dim }) => g.logSoftmax(a, dim),
  layerNorm: ({ x, weight, bias }, { normalizedShape, eps }) => g.layerNorm(x, normalizedShape, weight, bias, eps),
  conv2d: ({ x, weight, bias }, attrs) => g.conv2d(x, weight, bias, attrs),
  maxPool2d: ({ x }, { kernelSize, stride, padding }) => g.maxPool2d(x, kernelSize, { stride, padding }),
  attention: ({ q, q_const, k, v }, { causal, scale, window }) => g.scaledDotProductAttention(q ?? q_const, k, v, { causal, scale: scale ?? undefined, window }),
  mlp: ({ x_const, w1, b1, w2, b2, target_const }) => {
    const logits = g.linear(g.gelu(g.linear(x_const, w1, b1)), w2, b2);
    return g.neg(g.mean(g.sum(g.mul(g.logSoftmax(logits, -1), target_const), -1)));
  },
  accumulate: ({ a, b }) => g.sum(g.add(g.mul(a, b), g.exp(a))),
};

const cases = loadCases();

/** Runs one case: forward, backward (explicit upstream gradient or implicit 1), compare with torch. */
function runCase(c: GoldenCase): void {
  const inputs: In = {};
  for (const [k, v] of Object.entries(c.inputs)) inputs[k] = fromGolden(v);
  let outs: Tensor[] = [];
  for (let call = 0; call < c.backwardCalls; call++) {
    const out = OPS[c.op](inputs, c.attrs);
    outs = Array.isArray(out) ? out : [out];
    if (c.upstream === null) backward(outs[0]);
    else if (outs.length === 1) backward(outs[0], fromGolden(c.upstream[0]));
    else {
      // Several outputs (split): back-propagate Σᵢ sum(outᵢ·upstreamᵢ), whose gradient w.r.t. outᵢ is upstreamᵢ.
      const total = outs.map((o, i) => g.sum(g.mul(o, fromGolden(c.upstream![i])))).reduce((s: Tensor, t: Tensor) => g.add(s, t));
      backward(total);
    }
  }
  expect(outs.length, 'number of outputs').toBe(c.outputs.length);
  outs.forEach((o, i) => expectClose(o, c.outputs[i], `output ${i}`, 1e-5, 1e-4));
  for (const [k, v] of Object.entries(c.inputs)) {
    if (v.requiresGrad) expectClose(inputs[k].grad, c.grads[k], `grad ${k}`, 1e-4, 1e-4);
    else expect(inputs[k].grad, `${k} does not require grad`).toBeNull();
  }
}

describe.each(testBackends())('gradients vs PyTorch on backend %s', (backend) => {
  beforeAll(() => g.setBackend(backend));
  afterAll(() => g.setBackend('js'));

  it('every golden op has a gorch expression', () => {
    for (const c of cases) expect(OPS[c.op], c.op).toBeTypeOf('function');
  });
  for (const c of cases) it(c.name, () => runCase(c));
});
