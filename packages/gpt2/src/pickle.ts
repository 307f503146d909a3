import { GorchError } from '@gorch/tensor';
import { PickleError } from './errors';

/**
 * A safe subset of Python's pickle (protocols 2-5, the opcodes `torch.save` emits), read by a stack
 * machine that never executes anything: a `GLOBAL` is looked up in an allow-list of reducers written
 * in TypeScript, and any other global is a {@link PickleError} (`E_PICKLE_GLOBAL`) naming it.
 *
 * Source: CPython `Lib/pickletools.py` (opcode table) and `Lib/pickle.py` (semantics).
 *
 * Python values become: None -> null, bool, int -> number (bigint beyond 2^53), float -> number,
 * str -> string, bytes -> Uint8Array, list / tuple -> array, dict -> Map.
 */

/** What an allow-listed global does when it is called (`REDUCE` / `NEWOBJ`) or built (`BUILD`). */
export interface PickleGlobal {
  /** `module.qualname`, for error messages. */
  readonly name: string;
  /** Result of calling the global with positional `args`. */
  call(args: unknown[]): unknown;
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /** Allowed globals keyed by `"module.name"`; anything else is refused. */
  globals: ReadonlyMap<string, PickleGlobal>;
  /** Resolves a `BINPERSID` id (torch: `('storage', type, key, location, numel)`); absent = refused. */
  persistentLoad?: (pid: unknown) => unknown;
  /** Names the file in errors. */
  source?: string;
}

/**
 * Decodes one pickle from `bytes` and returns its value. Iterative (no recursion) and free of
 * argument spreads, so a huge line, string or list costs memory, never the call stack.
 * @throws PickleError naming `opts.source` and the byte offset of the offending opcode, for any
 *   malformed input (also for errors thrown by `globals` / `persistentLoad` that are not gorch errors)
 */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): unknown {
  return new Unpickler(bytes, opts).run();
}

/** At most this many characters of a pickle value are quoted in an error message. */
const PREVIEW = 80;

/** A short, printable rendering of a pickle value for error messages. */
export function preview(v: unknown, depth = 0): string {
  // depth-limited: Array.prototype.toString recurses, and a pickle can nest lists a million deep
  if (Array.isArray(v) && depth > 2) return '[...]';
  const s = Array.isArray(v) ? `[${v.slice(0, 8).map((x) => preview(x, depth + 1)).join(', ')}${v.length > 8 ? `, ... ${v.length} items` : ''}]` : String(v);
  return s.length > PREVIEW ? `${s.slice(0, PREVIEW)}... (${s.length} chars)` : s;
}

/** Bytes -> string, one char per byte (Python's latin-1), in chunks: `fromCharCode(...bytes)` overflows the stack. */
function latin1(b: Uint8Array): string {
  const CHUNK = 8192;
  let s = '';
  for (let i = 0; i < b.length; i += CHUNK) s += String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]);
  return s;
}

class Unpickler {
  private pos = 0;
  /** Offset of the opcode being executed, for error messages. */
  private at = 0;
  private stack: unknown[] = [];
  private marks: number[] = [];
  private memo = new Map<number, unknown>();
  private readonly view: DataView;
  private readonly src: string;
  private readonly text = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly bytes: Uint8Array, private readonly opts: UnpickleOptions) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.src = opts.source ?? 'pickle';
  }

  private fail(msg: string, code?: 'E_PICKLE_GLOBAL'): never {
    throw new PickleError(`${this.src}: ${msg}${/ at byte \d/.test(msg) ? '' : ` (opcode at byte ${this.at})`}`, code);
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.bytes.length) this.fail(`truncated at byte ${this.pos} (needs ${n} more bytes)`);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  private u8(): number { return this.bytes[this.need(1)]; }
  private u16(): number { return this.view.getUint16(this.need(2), true); }
  private u32(): number { return this.view.getUint32(this.need(4), true); }
  private i32(): number { return this.view.getInt32(this.need(4), true); }
  private u64(): number {
    const v = this.view.getBigUint64(this.need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${v} too large`);
    return Number(v);
  }
  private raw(n: number): Uint8Array { const at = this.need(n); return this.bytes.subarray(at, at + n); }
  private str(n: number): string {
    try {
      return this.text.decode(this.raw(n));
    } catch {
      return this.fail(`invalid UTF-8 string at byte ${this.pos - n}`);
    }
  }
  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail(`unterminated text line at byte ${this.pos}`);
    // Python decodes GLOBAL lines as UTF-8 and the protocol-0 number lines are ASCII
    const s = this.str(end - this.pos);
    this.pos = end + 1;
    return s;
  }

  private pop(): unknown {
    if (this.stack.length === 0 || (this.marks.length > 0 && this.stack.length <= this.marks[this.marks.length - 1])) {
      this.fail(`stack underflow at byte ${this.pos}`);
    }
    return this.stack.pop();
  }
  private top(): unknown {
    if (this.stack.length === 0) this.fail(`stack underflow at byte ${this.pos}`);
    return this.stack[this.stack.length - 1];
  }
  private popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail(`no MARK before byte ${this.pos}`);
    return this.stack.splice(m);
  }
  private index(t: string): number {
    if (!/^\d+$/.test(t)) this.fail(`bad memo index "${t}"`);
    return Number(t);
  }
  private get(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo index ${i} was never stored`);
    return this.memo.get(i);
  }

  private findGlobal(module: string, name: string): PickleGlobal {
    const g = this.opts.globals.get(`${module}.${name}`);
    if (!g) this.fail(`refusing global ${preview(`${module}.${name}`)} (not in the allow-list)`, 'E_PICKLE_GLOBAL');
    return g;
  }
  private asGlobal(v: unknown, op: string): PickleGlobal {
    if (typeof v === 'object' && v !== null && typeof (v as PickleGlobal).call === 'function' && 'name' in v) return v as PickleGlobal;
    return this.fail(`${op} on a value that is not an allowed global`);
  }
  private setItems(d: unknown, kv: unknown[]): void {
    if (!(d instanceof Map)) this.fail(`SETITEM(S) on a non-dict at byte ${this.pos}`);
    if (kv.length % 2 !== 0) this.fail(`odd number of SETITEMS values at byte ${this.pos}`);
    for (let i = 0; i < kv.length; i += 2) d.set(kv[i], kv[i + 1]);
  }
  private appendAll(l: unknown, items: unknown[]): void {
    if (!Array.isArray(l)) this.fail(`APPEND(S) on a non-list at byte ${this.pos}`);
    for (const v of items) l.push(v);
  }

  private long(n: number): number | bigint {
    if (n === 0) return 0;
    const b = this.raw(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  run(): unknown {
    try {
      return this.loop();
    } catch (e) {
      if (e instanceof PickleError && !/ at byte \d/.test(e.message)) {
        throw new PickleError(`${e.message} (opcode at byte ${this.at})`, e.code as 'E_PICKLE' | 'E_PICKLE_GLOBAL');
      }
      if (e instanceof GorchError) throw e;
      // a reducer or persistent loader rejecting its arguments with a plain Error is still a bad pickle
      return this.fail(`malformed pickle: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private loop(): unknown {
    const s = this.stack;
    for (;;) {
      const at = this.pos;
      this.at = at;
      const op = this.u8();
      switch (op) {
        case 0x80: this.u8(); break; // PROTO
        case 0x95: this.need(8); break; // FRAME: framing is only a read-ahead hint
        case 0x2e: { // STOP
          const v = this.pop();
          return v;
        }
        case 0x28: this.marks.push(s.length); break; // MARK
        case 0x4e: s.push(null); break; // NONE
        case 0x88: s.push(true); break; // NEWTRUE
        case 0x89: s.push(false); break; // NEWFALSE
        case 0x4b: s.push(this.u8()); break; // BININT1
        case 0x4d: s.push(this.u16()); break; // BININT2
        case 0x4a: s.push(this.i32()); break; // BININT
        case 0x8a: s.push(this.long(this.u8())); break; // LONG1
        case 0x8b: { // LONG4
          const n = this.i32();
          if (n < 0 || n > 64) this.fail(`LONG4 of ${n} bytes is not supported`);
          s.push(this.long(n));
          break;
        }
        case 0x49: { // INT (text): also encodes True/False as 01/00 in protocol 0
          const t = this.line();
          if (t === '01' || t === '00') s.push(t === '01');
          else if (/^-?\d+$/.test(t)) s.push(Number(t));
          else this.fail(`bad INT literal "${t}"`);
          break;
        }
        case 0x47: s.push(this.view.getFloat64(this.need(8), false)); break; // BINFLOAT (big-endian)
        case 0x58: s.push(this.str(this.u32())); break; // BINUNICODE
        case 0x8c: s.push(this.str(this.u8())); break; // SHORT_BINUNICODE
        case 0x8d: s.push(this.str(this.u64())); break; // BINUNICODE8
        case 0x54: { // BINSTRING (py2 str, torch writes none; decode as latin-1)
          const n = this.i32();
          if (n < 0) this.fail(`BINSTRING with negative length ${n}`);
          s.push(latin1(this.raw(n)));
          break;
        }
        case 0x55: s.push(latin1(this.raw(this.u8()))); break; // SHORT_BINSTRING
        case 0x42: s.push(this.raw(this.u32()).slice()); break; // BINBYTES
        case 0x43: s.push(this.raw(this.u8()).slice()); break; // SHORT_BINBYTES
        case 0x8e: s.push(this.raw(this.u64()).slice()); break; // BINBYTES8
        case 0x29: s.push([]); break; // EMPTY_TUPLE
        case 0x85: s.push([this.pop()]); break; // TUPLE1
        case 0x86: { const b = this.pop(); const a = this.pop(); s.push([a, b]); break; } // TUPLE2
        case 0x87: { const c = this.pop(); const b = this.pop(); const a = this.pop(); s.push([a, b, c]); break; } // TUPLE3
        case 0x74: s.push(this.popMark()); break; // TUPLE
        case 0x5d: s.push([]); break; // EMPTY_LIST
        case 0x6c: s.push(this.popMark()); break; // LIST
        case 0x61: { const v = this.pop(); this.appendAll(this.top(), [v]); break; } // APPEND
        case 0x65: { const items = this.popMark(); this.appendAll(this.top(), items); break; } // APPENDS
        case 0x7d: s.push(new Map()); break; // EMPTY_DICT
        case 0x64: { const kv = this.popMark(); const d = new Map(); this.setItems(d, kv); s.push(d); break; } // DICT
        case 0x73: { const v = this.pop(); const k = this.pop(); this.setItems(this.top(), [k, v]); break; } // SETITEM
        case 0x75: { const kv = this.popMark(); this.setItems(this.top(), kv); break; } // SETITEMS
        case 0x30: this.pop(); break; // POP
        case 0x31: this.popMark(); break; // POP_MARK
        case 0x32: s.push(this.top()); break; // DUP
        case 0x71: this.memo.set(this.u8(), this.top()); break; // BINPUT
        case 0x72: this.memo.set(this.u32(), this.top()); break; // LONG_BINPUT
        case 0x70: this.memo.set(this.index(this.line()), this.top()); break; // PUT
        case 0x94: this.memo.set(this.memo.size, this.top()); break; // MEMOIZE
        case 0x68: s.push(this.get(this.u8())); break; // BINGET
        case 0x6a: s.push(this.get(this.u32())); break; // LONG_BINGET
        case 0x67: s.push(this.get(this.index(this.line()))); break; // GET
        case 0x63: { // GLOBAL "module\nname\n"
          const module = this.line();
          s.push(this.findGlobal(module, this.line()));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          s.push(this.findGlobal(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          const fn = this.asGlobal(this.pop(), 'REDUCE');
          if (!Array.isArray(args)) this.fail(`REDUCE ${fn.name}: arguments are not a tuple`);
          s.push(fn.call(args));
          break;
        }
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
          const args = this.pop();
          const cls = this.asGlobal(this.pop(), 'NEWOBJ');
          if (!Array.isArray(args)) this.fail(`NEWOBJ ${cls.name}: arguments are not a tuple`);
          s.push(cls.call(args));
          break;
        }
        case 0x62: { // BUILD: only plain attribute state on dicts (state_dict._metadata) is accepted
          const state = this.pop();
          const obj = this.top();
          if (!(obj instanceof Map) || !(state === null || state instanceof Map)) {
            this.fail(`BUILD at byte ${at} on an object this reader cannot restore`);
          }
          break;
        }
        case 0x51: { // BINPERSID
          const pid = this.pop();
          if (!this.opts.persistentLoad) this.fail(`persistent id at byte ${at} but no persistent loader`);
          s.push(this.opts.persistentLoad(pid));
          break;
        }
        default:
          this.fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`);
      }
    }
  }
}
