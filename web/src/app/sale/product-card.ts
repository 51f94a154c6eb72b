import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { SignInPrompt } from '../auth/return-url';
import { Session } from '../auth/session';
import type { Order, Product } from '../core/shop-types';
import { HoldPanel } from '../orders/hold-panel';
import { OrderFollower } from '../orders/order-follower';
import { type OrderState, statusWords } from '../orders/order-status';
import { WaitingRoom } from '../waiting-room/waiting-room';
import { PurchaseForm } from './purchase-form';
import { PurchaseOutcomes } from './purchase-outcomes';
import {
  allowanceWords,
  describeCountdown,
  formatCountdown,
  formatPrice,
  PLACEHOLDER_IMAGE,
  saleState,
  stockFraction,
} from './sale-format';
import { ShopperOrders } from './shopper-orders';

/** How a card shows its order: confirmed, held for payment (the hold panel, also once the hold ran out), or ended. */
type OrderView = 'confirmed' | 'held' | 'ended';

const ORDER_VIEWS: Record<OrderState, OrderView> = {
  confirmed: 'confirmed',
  paid: 'confirmed',
  waiting: 'held',
  declined: 'held',
  'hold-ended': 'held',
  expired: 'ended',
  cancelled: 'ended',
  refunded: 'ended',
};

/**
 * One product of the sale: picture, price, state (countdown, units left, sold out, ended), the buy
 * form, how many of it this shopper has, and one message: the latest purchase outcome. A held order
 * (payment products) shows its countdown, Pay now and Cancel, and is followed until it ends.
 */
@Component({
  selector: 'app-product-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [HoldPanel, PurchaseForm, RouterLink, WaitingRoom],
  providers: [OrderFollower],
  templateUrl: './product-card.html',
  styleUrl: './product-card.css',
})
export class ProductCard {
  private readonly outcomes = inject(PurchaseOutcomes);
  private readonly orders = inject(ShopperOrders);
  protected readonly follower = inject(OrderFollower);
  private readonly message = viewChild('message', { read: ElementRef<HTMLElement> });
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly product = input.required<Product>();
  /** The page's own product (its landing page, /p/<sku>): its name is the page's heading, not a link. */
  readonly lead = input(false);
  /** A visitor sees the drop; joining a line asks them to sign in first, and brings them back. */
  protected readonly signedIn = inject(Session).signedIn;
  protected readonly signInPrompt = inject(SignInPrompt);
  /** The server's clock, in ms since the epoch: the countdown and the open/ended switch follow it. */
  readonly now = input.required<number>();

  protected readonly imageFailed = signal(false);
  protected readonly state = computed(() => saleState(this.product(), this.now()));
  protected readonly price = computed(() => formatPrice(this.product().priceCents, this.product().currency));
  protected readonly msToStart = computed(() => Date.parse(this.product().saleStartsAt) - this.now());
  protected readonly countdown = computed(() => formatCountdown(this.msToStart()));
  protected readonly countdownSpoken = computed(() => describeCountdown(this.msToStart()));
  protected readonly stockPercent = computed(() =>
    Math.round(stockFraction(this.product().available, this.product().loadedUnits) * 100),
  );
  protected readonly startsAt = computed(() =>
    new Date(this.product().saleStartsAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  );
  protected readonly imageSrc = computed(() =>
    this.imageFailed() || !this.product().imageUrl ? PLACEHOLDER_IMAGE : this.product().imageUrl,
  );
  protected readonly headingId = computed(() => `product-${this.product().sku}`);
  protected readonly allowance = computed(() => {
    const sku = this.product().sku;
    return allowanceWords(
      this.orders.bought()[sku] ?? 0,
      this.orders.held()[sku] ?? 0,
      this.product().perCustomerLimit,
    );
  });
  protected readonly allTaken = computed(
    () => (this.orders.taken()[this.product().sku] ?? 0) >= this.product().perCustomerLimit,
  );
  protected readonly outcome = computed(() => this.outcomes.of(this.product().sku));
  protected readonly refusal = computed(() => {
    const said = this.outcome();
    return said?.kind === 'refused' ? said.message : undefined;
  });
  /** The order the card speaks of, as it stands now: a poll or a cancel may have moved it on since the purchase. */
  protected readonly order = computed((): Order | undefined => {
    const said = this.outcome();
    return said?.kind === 'ordered' ? (this.orders.get(said.order.orderId) ?? said.order) : undefined;
  });
  protected readonly words = computed(() => {
    const order = this.order();
    return order ? statusWords(order, this.now()) : undefined;
  });
  protected readonly view = computed(() => {
    const state = this.words()?.state;
    return state ? ORDER_VIEWS[state] : undefined;
  });
  protected readonly total = computed(() => {
    const order = this.order();
    return order ? formatPrice(order.totalCents, order.currency) : '';
  });

  constructor() {
    // A new order is news the shopper must not miss: bring it to keyboard and screen-reader users.
    effect(() => {
      const said = this.outcome();
      if (said?.kind === 'ordered' && !said.resumed) this.focusMessage();
    });
    // Follow a held order until it ends; what the follower learns updates the shopper's orders, and so the card.
    effect(() => {
      const order = this.order();
      untracked(() => {
        if (order?.status === 'PENDING_PAYMENT') this.follower.follow(order.orderId, { known: order });
        else this.follower.stop();
      });
    });
    effect(() => {
      const latest = this.follower.order();
      if (latest) untracked(() => this.orders.add(latest));
    });
    // Units coming back from a hold (cancelled, expired) show in the availability at once.
    let previous: Order | undefined;
    effect(() => {
      const order = this.order();
      if (
        previous?.orderId === order?.orderId &&
        previous?.status === 'PENDING_PAYMENT' &&
        (order?.status === 'CANCELLED' || order?.status === 'EXPIRED')
      )
        untracked(() => this.outcomes.stockChanged());
      previous = order;
    });
  }

  /** Gives the hold up; focus goes to what the card then says, as Cancel is gone with the hold. */
  protected async cancelHold(): Promise<void> {
    await this.follower.cancel();
    if (this.follower.order()?.status !== 'PENDING_PAYMENT') this.focusMessage();
  }

  private focusMessage(): void {
    afterNextRender(() => this.message()?.nativeElement.focus(), { injector: this.injector });
  }

  /** Removes the message, leaving focus on the product's name rather than nowhere. */
  protected dismiss(): void {
    this.outcomes.clear(this.product().sku);
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>('h1, h2')?.focus(), {
      injector: this.injector,
    });
  }
}
