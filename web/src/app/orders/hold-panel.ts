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
  output,
  viewChild,
} from '@angular/core';
import type { Order } from '../core/shop-types';
import { describeCountdown } from '../sale/sale-format';
import { type HoldPhase, holdEndedMessage, holdMessage, holdMsLeft, holdPhase, statusWords } from './order-status';

/**
 * A held order's countdown and what the shopper can do about it: "Your 2 units are held for 4:59", Pay now (the
 * provider's hosted page) and Cancel. The countdown itself is never announced; one polite status line speaks at the
 * last minute and when the hold ends, and then Pay now and Cancel go. Shown on the product's card and on the order page.
 */
@Component({
  selector: 'app-hold-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './hold-panel.html',
  styleUrl: './hold-panel.css',
  host: { tabindex: '-1' },
})
export class HoldPanel {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly phaseLine = viewChild.required<ElementRef<HTMLElement>>('phaseLine');

  /** An order waiting for payment. */
  readonly order = input.required<Order>();
  /** The server's clock (ms since the epoch). */
  readonly now = input.required<number>();
  readonly productName = input.required<string>();
  readonly cancelling = input(false);
  /** Why the last cancel did not go through. */
  readonly cancelProblem = input<string | undefined>(undefined);
  /** Say a declined payment here (the order page says it in its status line instead). */
  readonly showDecline = input(true);
  readonly cancel = output<void>();

  protected readonly msLeft = computed(() => holdMsLeft(this.order(), this.now()));
  protected readonly phase = computed(() => holdPhase(this.msLeft()));
  protected readonly shown = computed(() => holdMessage(this.order().quantity, this.msLeft()));
  protected readonly spoken = computed(() => holdMessage(this.order().quantity, this.msLeft(), describeCountdown));
  protected readonly decline = computed(() => {
    const words = statusWords(this.order(), this.now());
    return this.showDecline() && words.state === 'declined' ? `${words.label}: ${words.detail}` : undefined;
  });
  /** Changes twice at most, so screen readers hear the hold's stages, not its seconds. */
  protected readonly phaseWords = computed(() => {
    const phase = this.phase();
    if (phase === 'last-minute') return 'Less than a minute left to pay.';
    return phase === 'ended' ? holdEndedMessage(this.order().quantity) : '';
  });

  constructor() {
    // When the hold ends, Pay now and Cancel go: whoever was on them is brought to the words saying why.
    let previous: HoldPhase | undefined;
    effect(() => {
      const phase = this.phase();
      const ended = phase === 'ended' && previous !== undefined && previous !== 'ended';
      previous = phase;
      if (!ended) return;
      const hadFocus = this.host.nativeElement.contains(document.activeElement);
      afterNextRender(
        () => {
          if (hadFocus && !this.host.nativeElement.contains(document.activeElement))
            this.phaseLine().nativeElement.focus();
        },
        { injector: this.injector },
      );
    });
  }
}
