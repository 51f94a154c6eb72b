import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Product } from '../core/shop-types';
import { OrderConfirmation } from './order-confirmation';
import { quantityChoices } from './sale-format';

/** An intent whose outcome is still unknown keeps its key, so pressing Buy again cannot buy twice. */
interface PendingIntent {
  sku: string;
  quantity: number;
  idempotencyKey: string;
}

/**
 * Quantity and Buy for one open product. One idempotency key per purchase intent: the API client
 * reuses it on automatic retries, and this form reuses it when the shopper retries an intent whose
 * outcome never became known (network gone, shop busy).
 */
@Component({
  selector: 'app-purchase-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './purchase-form.html',
  styleUrl: './purchase-form.css',
})
export class PurchaseForm {
  private readonly api = inject(ShopApi);
  private readonly confirmation = inject(OrderConfirmation);

  readonly product = input.required<Product>();
  /** A waiting-room product's pass, sent with the purchase (the waiting room shows this form once admitted). */
  readonly admissionPass = input<string | undefined>(undefined);

  protected readonly choices = computed(() => quantityChoices(this.product().perCustomerLimit, this.product().available));
  /** Follows the choices: stays as picked while still allowed, else falls back to 1. */
  protected readonly quantity = linkedSignal<number[], number>({
    source: this.choices,
    computation: (choices, previous) => (previous && choices.includes(previous.value) ? previous.value : 1),
  });
  protected readonly buying = signal(false);
  protected readonly problem = signal<string | undefined>(undefined);
  private unresolved: PendingIntent | undefined;

  protected pick(value: string): void {
    this.quantity.set(Number(value));
    this.problem.set(undefined);
  }

  async buy(): Promise<void> {
    if (this.buying()) return;
    const intent = this.intent(this.product().sku, this.quantity());
    this.buying.set(true);
    this.problem.set(undefined);
    try {
      const pass = this.admissionPass();
      const order = await this.api.purchase(pass ? { ...intent, admissionPass: pass } : intent);
      this.unresolved = undefined;
      this.confirmation.confirm(order);
    } catch (error) {
      const failure = error instanceof ApiError ? error : undefined;
      this.unresolved = failure?.retryable ? intent : undefined;
      this.problem.set(failure?.message ?? 'Something went wrong. Please try again.');
    } finally {
      this.buying.set(false);
    }
  }

  private intent(sku: string, quantity: number): PendingIntent {
    const pending = this.unresolved;
    if (pending && pending.sku === sku && pending.quantity === quantity) return pending;
    return { sku, quantity, idempotencyKey: crypto.randomUUID() };
  }
}
