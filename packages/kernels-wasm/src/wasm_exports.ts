/**
 * The C functions exported by `wasm/gorch-kernels*.wasm` (sources in `src/c/`). Pointers are byte
 * offsets into the module's memory; every count and stride is in elements, not bytes.
 */
export interface KernelExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  gorch_malloc(bytes: number): number;
  gorch_free(ptr: number): void;
  gorch_gemm(M: number, N: number, K: number, A: number, sam: number, sak: number, B: number, sbk: number, sbn: number, C: number, ldc: number, accumulate: number): void;
  gorch_bmm(batch: number, M: number, N: number, K: number, A: number, sab: number, sam: number, sak: number, B: number, sbb: number, sbk: number, sbn: number, C: number): void;
  gorch_matvec_f32(N: number, K: number, W: number, x: number, y: number): void;
  gorch_matvec_bf16(N: number, K: number, W: number, x: number, y: number): void;
  gorch_matvec_f16(N: number, K: number, W: number, x: number, y: number): void;
  gorch_vecmat_f32(K: number, N: number, x: number, W: number, y: number, accumulate: number): void;
  gorch_vecmat_bf16(K: number, N: number, x: number, W: number, y: number, accumulate: number): void;
  gorch_vecmat_f16(K: number, N: number, x: number, W: number, y: number, accumulate: number): void;
  gorch_binary(op: number, ndim: number, shape: number, a: number, sa: number, b: number, sb: number, out: number): number;
  gorch_unary(op: number, n: number, x: number, out: number): number;
  gorch_softmax(rows: number, n: number, x: number, out: number): void;
  gorch_log_softmax(rows: number, n: number, x: number, out: number, scratch: number): void;
  gorch_layer_norm(rows: number, n: number, x: number, gamma: number, beta: number, eps: number, out: number): void;
  gorch_embedding(n: number, idx: number, V: number, D: number, table: number, out: number): number;
  gorch_embedding_half(n: number, idx: number, V: number, D: number, fmt: number, table: number, out: number): number;
  gorch_copy_strided(ndim: number, shape: number, src: number, strides: number, out: number): number;
  gorch_embedding_cols(n: number, idx: number, V: number, D: number, fmt: number, table: number, out: number): number;
  gorch_conv2d(params: number, x: number, w: number, bias: number, out: number, col: number): void;
  gorch_max_pool2d(params: number, x: number, out: number): void;
  gorch_linear_cols(M: number, N: number, K: number, n0: number, n1: number, x: number, W: number, fmt: number, layout: number, bias: number, out: number, ws: number): void;
  gorch_gemm_ws(M: number, N: number, K: number, A: number, sam: number, sak: number, B: number, sbk: number, sbn: number, C: number, ldc: number, accumulate: number, ws: number): void;
  gorch_gemm_workspace_floats(): number;
  gorch_vecmat_ld_f32(K: number, N: number, ld: number, x: number, W: number, y: number, accumulate: number): void;
  gorch_vecmat_ld_bf16(K: number, N: number, ld: number, x: number, W: number, y: number, accumulate: number): void;
  gorch_vecmat_ld_f16(K: number, N: number, ld: number, x: number, W: number, y: number, accumulate: number): void;
  gorch_linear(M: number, N: number, K: number, x: number, W: number, fmt: number, layout: number, bias: number, out: number): void;
  gorch_panel_pack(fmt: number, N: number, K: number, src: number, dst: number): void;
  gorch_panel_unpack(fmt: number, N: number, K: number, P: number, out: number): void;
  gorch_panel_matvec(fmt: number, N: number, K: number, n0: number, n1: number, P: number, x: number, y: number): void;
  gorch_embedding_panels(n: number, idx: number, V: number, D: number, fmt: number, table: number, out: number): number;
  gorch_widen(fmt: number, n: number, src: number, dst: number): void;
  gorch_narrow_bf16(n: number, src: number, dst: number): void;
  gorch_narrow_f16(n: number, src: number, dst: number): void;
  gorch_attention_decode(H: number, T: number, D: number, scale: number, q: number, k: number, v: number, sh: number, st: number, out: number, scores: number): void;
}

/** Binary op codes of `gorch_binary` (src/c/elementwise.c). */
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 } as const;
/** Unary op codes of `gorch_unary` (src/c/elementwise.c). */
export const UnaryOp = { exp: 0, tanh: 1, sigmoid: 2, gelu: 3, geluTanh: 4, relu: 5, neg: 6, abs: 7, sqrt: 8, silu: 9, erf: 10 } as const;
/** Weight layouts of `gorch_linear` / `gorch_linear_cols` (src/c/linear.c). */
export const WeightLayout = { kn: 0, nk: 1, panels: 2 } as const;
/** Weight storage formats of `gorch_linear` / `gorch_widen`. */
export const WeightFormat = { float32: 0, bfloat16: 1, float16: 2 } as const;
