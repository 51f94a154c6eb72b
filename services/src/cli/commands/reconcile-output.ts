import type { AuditReport } from "../../store/reconcile";

/** What was compared, for the first line. `payments` is undefined when no product in scope takes payment. */
export interface ReconcileScope {
  table: string;
  sku: string | undefined;
  payments: number | undefined;
}

/** `reconcile`'s output: JSON for scripts, or one block per mismatch (what was found, what to do). */
export function printReconciliation(report: AuditReport, scope: ReconcileScope, json: boolean): void {
  if (json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          ok: report.ok,
          table: scope.table,
          ...(scope.sku ? { sku: scope.sku } : {}),
          items: report.items,
          orders: report.orders,
          payments: scope.payments ?? null,
          products: report.products,
          mismatches: report.violations,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const products = report.products;
  const units = (pick: (product: (typeof products)[number]) => number) =>
    products.reduce((sum, product) => sum + pick(product), 0);
  const payments = scope.payments === undefined ? "no product takes payment" : `${scope.payments} paid checkouts`;
  process.stdout.write(
    `Reconciled table ${scope.table}${scope.sku ? `, product ${scope.sku}` : ""}: ${products.length} products, ` +
      `${units((p) => p.loadedUnits)} units loaded, ${units((p) => p.orderedUnits)} sold, ${units((p) => p.heldUnits)} held, ` +
      `${units((p) => p.availableUnits)} available; ${report.orders} orders; ${payments}\n`,
  );
  if (report.ok) {
    process.stdout.write("No mismatch: orders, stock shards, held units and payments agree.\n");
    return;
  }
  const count = report.violations.length;
  process.stdout.write(`${count} mismatch${count === 1 ? "" : "es"}:\n`);
  for (const violation of report.violations) {
    const about = [violation.sku, violation.orderId && `order ${violation.orderId}`].filter(Boolean).join(", ");
    process.stdout.write(
      `\n✗ ${violation.invariant}${about ? ` (${about})` : ""}\n  found: ${violation.message}\n  do:    ${violation.action}\n`,
    );
  }
}
