// Graph checks: single assignment, every input defined, and no cycle (ONNX IR spec, "Graphs":
// names are assigned once and nodes form a DAG).
import { ONNXError } from './errors';
import type { ONNXGraph, ONNXNode } from './onnx_file';

function nodeLabel(node: ONNXNode, index: number): string {
  return `node ${index} '${node.name || node.outputs[0] || '?'}' (${node.opType})`;
}

/**
 * Returns the node indices of `graph` in a topological order (file order when the file is sorted, as
 * the spec requires), after checking that every value is assigned once and every node input is a graph input,
 * an initializer, an earlier node's output, or one of `outerNames` (the enclosing graphs' values,
 * for subgraphs).
 *
 * Throws {@link ONNXError} `E_ONNX_GRAPH` naming `source` and the node: a value produced twice, an
 * input that nothing defines, or a cycle (Kahn's algorithm leaves nodes unvisited).
 */
export function topologicalOrder(graph: ONNXGraph, source: string, outerNames: ReadonlySet<string> = new Set()): number[] {
  const { nodes } = graph;
  const defined = new Set<string>([...graph.names, ...graph.inputs.map((v) => v.name)]);
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const out of node.outputs) {
      if (out === '') continue;
      const clash = producer.has(out) ? nodeLabel(nodes[producer.get(out)!], producer.get(out)!) : defined.has(out) ? 'a graph input or initializer' : null;
      if (clash) throw new ONNXError('E_ONNX_GRAPH', `${source}: ${nodeLabel(node, i)} assigns '${out}', already assigned by ${clash}`);
      producer.set(out, i);
    }
  });
  const consumers: number[][] = nodes.map(() => []);
  const pending = new Int32Array(nodes.length);
  nodes.forEach((node, i) => {
    for (const input of node.inputs) {
      if (input === '') continue;
      const from = producer.get(input);
      if (from !== undefined) {
        consumers[from].push(i);
        pending[i]++;
      } else if (!defined.has(input) && !outerNames.has(input)) {
        throw new ONNXError('E_ONNX_GRAPH', `${source}: ${nodeLabel(node, i)} reads '${input}', which no graph input, initializer or node defines`);
      }
    }
  });
  const sorted = nodes.every((node, i) => node.inputs.every((input) => (producer.get(input) ?? -1) < i));
  if (sorted) return nodes.map((_, i) => i);
  const order: number[] = [];
  const ready: number[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) if (pending[i] === 0) ready.push(i);
  while (ready.length > 0) {
    const i = ready.pop()!;
    order.push(i);
    const next = consumers[i];
    for (let k = next.length - 1; k >= 0; k--) if (--pending[next[k]] === 0) ready.push(next[k]);
  }
  if (order.length < nodes.length) {
    const stuck = nodes.findIndex((_, i) => pending[i] > 0);
    throw new ONNXError('E_ONNX_GRAPH', `${source}: the graph has a cycle through ${nodeLabel(nodes[stuck], stuck)}`);
  }
  return order;
}
