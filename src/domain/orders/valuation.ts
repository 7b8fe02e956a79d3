/**
 * What the buyer paid for some units of an order: each line's total (after its share of discounts) pro
 * rata per unit, plus the order's tax in proportion to those goods. Shipping is not included: it is
 * refunded only with everything else (a refund without an amount takes the whole remainder).
 */
export function valueOfUnits(
  order: { taxTotal: number },
  lines: readonly { id: string; quantity: number; total: number }[],
  units: readonly { lineId: string; quantity: number }[],
): number {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const goods = units.reduce((sum, unit) => {
    const line = byId.get(unit.lineId);
    return line && line.quantity > 0 ? sum + Math.round((line.total * unit.quantity) / line.quantity) : sum;
  }, 0);
  const allGoods = lines.reduce((sum, l) => sum + l.total, 0);
  const tax = allGoods > 0 ? Math.round((order.taxTotal * goods) / allGoods) : 0;
  return goods + tax;
}
