import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { SignInPrompt } from '../auth/return-url';
import { Session } from '../auth/session';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Product } from '../core/shop-types';
import { CatalogPoller } from './catalog-poller';
import { PurchaseOutcomes } from './purchase-outcomes';
import { quantityChoices } from './sale-format';
import { ShopperOrders } from './shopper-orders';

/** An intent whose outcome is still unknown keeps its key, so pressing Buy again cannot buy twice. */
interface PendingIntent {
  sku: string;
  quantity: number;
  idempotencyKey: string;
}

/**
 * Quantity and Buy for one open product, offering only what this shopper may still buy. One
 * idempotency key per purchase intent: the API client reuses it on automatic retries (shown as
 * "Busy, retrying 2 of 4…"), and this form reuses it when the shopper retries an intent whose
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
  private readonly outcomes = inject(PurchaseOutcomes);
  private readonly orders = inject(ShopperOrders);
  private readonly session = inject(Session);
  private readonly signInPrompt = inject(SignInPrompt);
  /** The page's catalog, where there is one: a confirmed purchase shows on its product's count at once. */
  private readonly catalog = inject(CatalogPoller, { optional: true });

  readonly product = input.required<Product>();
  /** A waiting-room product's pass, sent with the purchase (the waiting room shows this form once admitted). */
  readonly admissionPass = input<string | undefined>(undefined);

  /** Units this shopper bought or holds of the product, over all their orders: what counts against the limit. */
  protected readonly taken = computed(() => this.orders.taken()[this.product().sku] ?? 0);
  protected readonly choices = computed(() =>
    quantityChoices(this.product().perCustomerLimit - this.taken(), this.product().available),
  );
  /** Follows the choices: stays as picked while still allowed, else falls back to 1. */
  protected readonly quantity = linkedSignal<number[], number>({
    source: this.choices,
    computation: (choices, previous) => (previous && choices.includes(previous.value) ? previous.value : 1),
  });
  protected readonly buying = signal(false);
  /** While the shop is busy: which attempt is next, out of how many. */
  protected readonly retrying = signal<{ attempt: number; attempts: number } | undefined>(undefined);
  protected readonly progress = computed(() => {
    const retry = this.retrying();
    return retry ? `Busy, retrying ${retry.attempt} of ${retry.attempts}…` : undefined;
  });
  private unresolved: PendingIntent | undefined;

  protected pick(value: string): void {
    this.quantity.set(Number(value));
  }

  async buy(): Promise<void> {
    if (this.buying() || this.choices().length === 0) return;
    // A visitor is asked to sign in at Buy, and comes back to this page to buy.
    if (!this.session.signedIn()) {
      await this.signInPrompt.ask();
      return;
    }
    const intent = this.intent(this.product().sku, this.quantity());
    this.buying.set(true);
    this.outcomes.clear(intent.sku);
    try {
      const pass = this.admissionPass();
      const order = await this.api.purchase(pass ? { ...intent, admissionPass: pass } : intent, (attempt, attempts) =>
        this.retrying.set({ attempt, attempts }),
      );
      this.unresolved = undefined;
      this.orders.add(order);
      this.catalog?.reflect(order);
      this.outcomes.ordered(order);
    } catch (error) {
      const failure = error instanceof ApiError ? error : undefined;
      this.unresolved = failure?.retryable ? intent : undefined;
      this.outcomes.refuse(intent.sku, failure?.message ?? 'Something went wrong. Please try again.');
      // Bought elsewhere (another tab or device): learn how many, so the card says so.
      if (failure?.code === 'LIMIT_EXCEEDED') void this.orders.load();
    } finally {
      this.buying.set(false);
      this.retrying.set(undefined);
    }
  }

  private intent(sku: string, quantity: number): PendingIntent {
    const pending = this.unresolved;
    if (pending && pending.sku === sku && pending.quantity === quantity) return pending;
    return { sku, quantity, idempotencyKey: crypto.randomUUID() };
  }
}
