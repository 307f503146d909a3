// Forward values of every op against PyTorch. Goldens: test/golden/ops.json, written by
// tools/fixtures/tensor_ops.py (run with /usr/bin/python3). One line per case, tinygrad style.
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as g from '@gorch/tensor';
import { availableBackends, goldenChecker, loadGolden } from './util';

const cases = loadGolden('ops.json');

describe.each(availableBackends())('ops vs PyTorch on backend %s', (backend) => {
  const used = new Set<string>();
  const check = goldenChecker(cases, used);
  beforeAll(() => g.setBackend(backend));
  afterAll(() => g.setBackend('js'));

  it('add_same', () => check('add_same', (a, b) => g.add(a, b)));
  it('add_row', () => check('add_row', (a, b) => a.add(b)));
  it('add_col_row', () => check('add_col_row', (a, b) => g.add(a, b)));
  it('add_mid', () => check('add_mid', (a, b) => g.add(a, b)));
  it('add_scalar', () => check('add_scalar', (a) => a.add(2.5)));
  it('add_int', () => check('add_int', (a, b) => g.add(a, b)));
  it('sub_bcast', () => check('sub_bcast', (a, b) => g.sub(a, b)));
  it('rsub_scalar', () => check('rsub_scalar', (a) => g.sub(1, a)));
  it('mul_bcast', () => check('mul_bcast', (a, b) => g.mul(a, b)));
  it('div_bcast', () => check('div_bcast', (a, b) => g.div(a, b)));
  it('div_int', () => check('div_int', (a, b) => g.div(a, b)));
  it('pow_tensor', () => check('pow_tensor', (a, b) => g.pow(a, b)));
  it('pow_scalar', () => check('pow_scalar', (a) => a.pow(3)));
  it('maximum_bcast', () => check('maximum_bcast', (a, b) => g.maximum(a, b)));
  it('minimum_bcast', () => check('minimum_bcast', (a, b) => g.minimum(a, b)));
  it('eq_bcast', () => check('eq_bcast', (a, b) => g.eq(a, b)));
  it('gt_bcast', () => check('gt_bcast', (a, b) => g.gt(a, b)));
  it('lt_bcast', () => check('lt_bcast', (a, b) => g.lt(a, b)));
  it('ge_bcast', () => check('ge_bcast', (a, b) => g.ge(a, b)));
  it('le_bcast', () => check('le_bcast', (a, b) => g.le(a, b)));
  it('gt_scalar', () => check('gt_scalar', (a) => a.gt(0.5)));
  it('neg', () => check('neg', (a) => g.neg(a)));
  it('exp', () => check('exp', (a) => g.exp(a)));
  it('log', () => check('log', (a) => g.log(a)));
  it('sqrt', () => check('sqrt', (a) => g.sqrt(a)));
  it('abs', () => check('abs', (a) => g.abs(a)));
  it('tanh', () => check('tanh', (a) => g.tanh(a)));
  it('sigmoid', () => check('sigmoid', (a) => g.sigmoid(a)));
  it('relu', () => check('relu', (a) => g.relu(a)));
  it('gelu_none', () => check('gelu_none', (a) => g.gelu(a)));
  it('gelu_tanh', () => check('gelu_tanh', (a) => g.gelu(a, { approximate: 'tanh' })));
  it('erf', () => check('erf', (a) => g.erf(a)));
  it('where_bcast', () => check('where_bcast', (c, a, b) => g.where(c, a, b)));
  it('masked_fill_causal', () => check('masked_fill_causal', (s, m) => g.maskedFill(s, m, -Infinity)));
});
