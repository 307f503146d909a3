// A schema-driven walk over protobuf wire format that runs before protobufjs decodes a file.
// protobufjs reads a known field with whatever wire type it finds and trusts packed lengths, so a
// corrupt file can decode into garbage instead of failing; this walk rejects such input with the path
// of the offending field, bounds every length by its enclosing message, and caps the nesting depth.
import protobuf from 'protobufjs/light.js';
import { ONNXError } from './errors';
import { onnxRoot } from './schema';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

/** Deepest message nesting accepted (graphs inside attributes inside graphs...). */
export const MAX_DEPTH = 64;

interface FieldRule {
  name: string;
  wire: number;
  packable: boolean;
  repeated: boolean;
  message?: string;
}

const rulesByType = new Map<string, Map<number, FieldRule>>();

function rulesFor(typeName: string): Map<number, FieldRule> {
  let rules = rulesByType.get(typeName);
  if (rules) return rules;
  rules = new Map();
  const type = onnxRoot().lookupType(typeName);
  for (const field of type.fieldsArray) {
    field.resolve();
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      rules.set(field.id, { name: field.name, wire: LEN, packable: false, repeated: field.repeated, message: resolved.fullName.slice(1) });
    } else {
      const wire = resolved ? VARINT : (protobuf.types.basic as Record<string, number>)[field.type];
      rules.set(field.id, { name: field.name, wire, packable: field.repeated && wire !== LEN, repeated: field.repeated });
    }
  }
  rulesByType.set(typeName, rules);
  return rules;
}

class Walker {
  constructor(
    private readonly buf: Uint8Array,
    private readonly source: string,
  ) {}

  private fail(code: 'E_ONNX_TRUNCATED' | 'E_ONNX_WIRE', path: string, what: string): never {
    throw new ONNXError(code, `${this.source}: ${what} at ${path}`);
  }

  /** Reads a varint at `pos` below `end`; returns [value, nextPos]. Values above 2^53 lose precision but stay finite. */
  private varint(pos: number, end: number, path: string): [number, number] {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.fail('E_ONNX_TRUNCATED', path, 'varint runs past the end of its message');
      const byte = this.buf[pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return [value, pos];
      scale *= 128;
    }
    return this.fail('E_ONNX_WIRE', path, 'varint longer than 10 bytes');
  }

  message(typeName: string, start: number, end: number, path: string, depth: number): void {
    if (depth > MAX_DEPTH) this.fail('E_ONNX_WIRE', path, `messages nested deeper than ${MAX_DEPTH}`);
    const rules = rulesFor(typeName);
    const counts = new Map<number, number>();
    let pos = start;
    while (pos < end) {
      const [tag, afterTag] = this.varint(pos, end, path);
      pos = afterTag;
      const id = Math.floor(tag / 8);
      const wire = tag % 8;
      if (id === 0) this.fail('E_ONNX_WIRE', path, 'field number 0');
      const rule = rules.get(id);
      const n = counts.get(id) ?? 0;
      counts.set(id, n + 1);
      const here = rule ? `${path}.${rule.name}${rule.repeated && !rule.packable ? `[${n}]` : ''}` : `${path}.<field ${id}>`;
      if (rule && wire !== rule.wire && !(rule.packable && wire === LEN)) {
        this.fail('E_ONNX_WIRE', here, `wire type ${wire} where the schema needs ${rule.wire} (${typeName}.${rule.name})`);
      }
      pos = this.skipValue(wire, pos, end, here, rule, depth);
    }
  }

  private skipValue(wire: number, pos: number, end: number, path: string, rule: FieldRule | undefined, depth: number): number {
    switch (wire) {
      case VARINT:
        return this.varint(pos, end, path)[1];
      case FIXED64:
        if (pos + 8 > end) this.fail('E_ONNX_TRUNCATED', path, '8-byte value runs past the end of its message');
        return pos + 8;
      case FIXED32:
        if (pos + 4 > end) this.fail('E_ONNX_TRUNCATED', path, '4-byte value runs past the end of its message');
        return pos + 4;
      case LEN: {
        const [len, bodyStart] = this.varint(pos, end, path);
        if (len > end - bodyStart) this.fail('E_ONNX_TRUNCATED', path, `length ${len} runs past the end of its message (${end - bodyStart} bytes left)`);
        const bodyEnd = bodyStart + len;
        if (rule?.message) this.message(rule.message, bodyStart, bodyEnd, path, depth + 1);
        else if (rule?.packable) this.packed(rule.wire, bodyStart, bodyEnd, path);
        return bodyEnd;
      }
      default:
        return this.fail('E_ONNX_WIRE', path, `wire type ${wire} (groups and unknown wire types are not ONNX)`);
    }
  }

  private packed(wire: number, start: number, end: number, path: string): void {
    const width = wire === FIXED32 ? 4 : wire === FIXED64 ? 8 : 0;
    if (width) {
      if ((end - start) % width !== 0) this.fail('E_ONNX_WIRE', path, `packed length ${end - start} is not a multiple of ${width}`);
      return;
    }
    for (let pos = start; pos < end; ) pos = this.varint(pos, end, path)[1];
  }
}

/**
 * Checks that `bytes` is well-formed protobuf for message `onnx.<typeName>` of the ONNX schema:
 * every tag, varint and length lies inside its enclosing message, every known field has the wire
 * type the schema gives it (packed or not for repeated scalars), packed fixed-width data has a whole
 * number of elements, and nesting is at most {@link MAX_DEPTH}. Unknown fields are skipped, as the
 * protobuf spec requires. Throws {@link ONNXError} `E_ONNX_TRUNCATED` or `E_ONNX_WIRE` naming `source`
 * and the field path (e.g. `ModelProto.graph.node[3].attribute[0].i`).
 */
export function checkWireFormat(bytes: Uint8Array, typeName: string, source: string): void {
  new Walker(bytes, source).message(`onnx.${typeName}`, 0, bytes.length, typeName, 0);
}
