import type { Order } from '../core/shop-types';

/**
 * Where an order stands, for the shopper. `hold-ended` is a held order whose time is up on the server's clock
 * but which the shop has not returned yet (the sweep takes up to 5 s locally, 60 s in AWS): it reads as ended
 * at once, and turns EXPIRED (or, for a payment that just made it, CONFIRMED) on the next read.
 */
export type OrderState =
  | 'confirmed'
  | 'paid'
  | 'waiting'
  | 'declined'
  | 'hold-ended'
  | 'expired'
  | 'cancelled'
  | 'refunded';

export interface StatusWords {
  state: OrderState;
  /** "Paid", "Waiting for payment", "Payment declined", … */
  label: string;
  /** What else the shopper should know, or ''. */
  detail: string;
}

/** Milliseconds left on a held order's hold at `now` (server ms); 0 when it has none or it has run out. */
export function holdMsLeft(order: Pick<Order, 'holdExpiresAt'>, now: number): number {
  if (!order.holdExpiresAt) return 0;
  return Math.max(0, Date.parse(order.holdExpiresAt) - now);
}

/** The order's status in words at `now` (the server's clock, ms). */
export function statusWords(order: Order, now: number): StatusWords {
  switch (order.status) {
    case 'CONFIRMED':
      // A product sold with payment keeps its hold's end after it was paid; an instant one never had one.
      return order.holdExpiresAt
        ? { state: 'paid', label: 'Paid', detail: order.statusReason ?? '' }
        : { state: 'confirmed', label: 'Confirmed', detail: order.statusReason ?? '' };
    case 'PENDING_PAYMENT':
      if (holdMsLeft(order, now) <= 0)
        return { state: 'hold-ended', label: 'Hold ended', detail: `${unitsAre(order.quantity)} going back on sale.` };
      if (order.paymentError)
        return {
          state: 'declined',
          label: 'Payment declined',
          detail: `${sentence(order.paymentError)} Your order is still waiting for payment: try again.`,
        };
      return { state: 'waiting', label: 'Waiting for payment', detail: '' };
    case 'EXPIRED':
      return {
        state: 'expired',
        label: 'Hold expired',
        detail: order.statusReason ?? `It was not paid in time; ${unitsWent(order.quantity)} back on sale.`,
      };
    case 'CANCELLED':
      return {
        state: 'cancelled',
        label: 'Cancelled',
        detail: order.statusReason ?? `You cancelled it before paying; ${unitsWent(order.quantity)} back on sale.`,
      };
    case 'REFUNDED':
      return { state: 'refunded', label: 'Refunded', detail: order.statusReason ?? 'Your payment was returned.' };
  }
}

/** "Your 2 units are held for 4:59", "Your 1 unit is held for 0:30" (or the time in other words, for screen readers). */
export function holdMessage(
  quantity: number,
  msLeft: number,
  time: (msLeft: number) => string = formatHoldTime,
): string {
  return `Your ${quantity} ${quantity === 1 ? 'unit is' : 'units are'} held for ${time(msLeft)}`;
}

/** "The hold on your 2 units has ended" (and 1 unit). */
export function holdEndedMessage(quantity: number): string {
  return `The hold on your ${units(quantity)} has ended: ${quantity === 1 ? 'it goes' : 'they go'} back on sale.`;
}

/** Time left on a hold as "4:59", "0:05" or "1:00:00"; never negative, rounded up so 0:00 means ended. */
export function formatHoldTime(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const hours = Math.floor(total / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Stages of a hold worth telling a screen reader about, so the countdown itself is never announced. */
export type HoldPhase = 'held' | 'last-minute' | 'ended';

export const LAST_MINUTE_MS = 60_000;

export function holdPhase(msLeft: number): HoldPhase {
  if (msLeft <= 0) return 'ended';
  return msLeft <= LAST_MINUTE_MS ? 'last-minute' : 'held';
}

function units(quantity: number): string {
  return `${quantity} ${quantity === 1 ? 'unit' : 'units'}`;
}

function unitsAre(quantity: number): string {
  return quantity === 1 ? 'The unit is' : `The ${quantity} units are`;
}

function unitsWent(quantity: number): string {
  return quantity === 1 ? 'the unit went' : `the ${quantity} units went`;
}

/** The provider's words end with a full stop, whether or not they came with one. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
