// protobufjs decodes int64 fields to `Long` objects when the `long` package is present and to plain
// numbers otherwise; these helpers accept both.
import { ONNXError } from './errors';

/** A 64-bit integer as protobufjs hands it out. */
export type Int64Like = number | { low: number; high: number; unsigned?: boolean };

/** The exact value of a signed (or, with `unsigned`, unsigned) 64-bit protobuf integer as a bigint. */
export function int64ToBigInt(v: Int64Like, unsigned = false): bigint {
  if (typeof v === 'number') return BigInt(v);
  const big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? BigInt.asUintN(64, big) : BigInt.asIntN(64, big);
}

/** The value as a JS number (exact up to 2^53; larger magnitudes are rounded, as in `Number(bigint)`). */
export function int64ToNumber(v: Int64Like): number {
  if (typeof v === 'number') return v;
  return v.high * 4294967296 + (v.low >>> 0);
}

/** The value as a non-negative safe integer, else `E_ONNX_DATA` naming `what`. */
export function int64ToCount(v: Int64Like, what: string): number {
  const n = int64ToNumber(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new ONNXError('E_ONNX_DATA', `${what}: ${int64ToBigInt(v)} is not a valid size`);
  return n;
}
