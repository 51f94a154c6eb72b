import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { order } from '../../testing/fixtures';
import type { Order } from '../core/shop-types';
import { HoldPanel } from './hold-panel';

const END = Date.parse('2030-01-01T10:10:00.000Z');
const held = (overrides: Partial<Order> = {}) =>
  order({
    quantity: 2,
    status: 'PENDING_PAYMENT',
    holdExpiresAt: new Date(END).toISOString(),
    checkoutUrl: 'https://pay.test/session/1',
    ...overrides,
  });

describe('HoldPanel', () => {
  let fixture: ComponentFixture<HoldPanel>;

  async function render(item: Order, now: number, inputs: Record<string, unknown> = {}): Promise<HTMLElement> {
    fixture = TestBed.createComponent(HoldPanel);
    fixture.componentRef.setInput('order', item);
    fixture.componentRef.setInput('now', now);
    fixture.componentRef.setInput('productName', 'Midnight Hoodie');
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    document.body.appendChild(fixture.nativeElement);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  async function at(now: number): Promise<void> {
    fixture.componentRef.setInput('now', now);
    await fixture.whenStable();
  }

  afterEach(() => (fixture.nativeElement as HTMLElement).remove());

  const shown = (panel: HTMLElement) => panel.querySelector('.held [aria-hidden="true"]')?.textContent;
  const phase = (panel: HTMLElement) => panel.querySelector('[role="status"]')?.textContent?.trim();

  it('counts the hold down on the clock it is given, with a spoken form for screen readers', async () => {
    const panel = await render(held(), END - 299_000);
    expect(shown(panel)).toBe('Your 2 units are held for 4:59');
    expect(panel.querySelector('.held .visually-hidden')?.textContent).toBe(
      'Your 2 units are held for 4 minutes 59 seconds',
    );

    await at(END - 61_000);
    expect(shown(panel)).toBe('Your 2 units are held for 1:01');
    expect(phase(panel)).toBe('');
  });

  it('says one unit in the singular', async () => {
    const panel = await render(held({ quantity: 1 }), END - 30_000);
    expect(shown(panel)).toBe('Your 1 unit is held for 0:30');
  });

  it('links Pay now to the payment page and names both actions after the product', async () => {
    const panel = await render(held(), END - 60_000 * 4);
    const pay = panel.querySelector('a.pay') as HTMLAnchorElement;
    expect(pay.getAttribute('href')).toBe('https://pay.test/session/1');
    expect(pay.textContent?.trim()).toBe('Pay now for Midnight Hoodie');
    expect(panel.querySelector('button')?.textContent?.trim()).toBe('Cancel the hold on Midnight Hoodie');
  });

  it('asks its owner to cancel when Cancel is pressed, and shows the cancel in progress', async () => {
    const panel = await render(held(), END - 60_000 * 4);
    const cancel = jest.fn();
    fixture.componentRef.instance.cancel.subscribe(cancel);
    (panel.querySelector('button') as HTMLButtonElement).click();
    expect(cancel).toHaveBeenCalledTimes(1);

    fixture.componentRef.setInput('cancelling', true);
    await fixture.whenStable();
    const button = panel.querySelector('button') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent?.trim()).toBe('Cancelling…');
  });

  it('shows why a cancel did not go through', async () => {
    const panel = await render(held(), END - 60_000, { cancelProblem: 'Could not reach the shop.' });
    expect(panel.querySelector('[role="alert"]')?.textContent).toBe('Could not reach the shop.');
  });

  it("says a declined card's message and that the order still waits, unless its owner says it", async () => {
    let panel = await render(held({ paymentError: 'Your card was declined.' }), END - 60_000 * 4);
    expect(panel.querySelector('[role="alert"]')?.textContent).toBe(
      'Payment declined: Your card was declined. Your order is still waiting for payment: try again.',
    );
    expect(panel.querySelector('a.pay')).not.toBeNull();

    fixture.destroy();
    panel = await render(held({ paymentError: 'Your card was declined.' }), END - 60_000 * 4, { showDecline: false });
    expect(panel.querySelector('[role="alert"]')).toBeNull();
  });

  it('speaks only at the last minute and at the end, then takes Pay now and Cancel away', async () => {
    const panel = await render(held(), END - 120_000);
    const status = panel.querySelector('[role="status"]');
    expect(phase(panel)).toBe('');

    await at(END - 60_000);
    expect(phase(panel)).toBe('Less than a minute left to pay.');
    await at(END - 59_000);
    expect(phase(panel)).toBe('Less than a minute left to pay.');

    await at(END);
    // The same live region, so its change is heard.
    expect(panel.querySelector('[role="status"]')).toBe(status);
    expect(phase(panel)).toBe('The hold on your 2 units has ended: they go back on sale.');
    expect(panel.querySelector('.held')?.textContent).toBe('Hold ended');
    expect(panel.querySelector('a.pay')).toBeNull();
    expect(panel.querySelector('button')).toBeNull();
  });

  it('brings focus that was on Cancel to the words saying the hold ended', async () => {
    const panel = await render(held(), END - 1_000);
    (panel.querySelector('button') as HTMLButtonElement).focus();
    await at(END);
    expect(document.activeElement).toBe(panel.querySelector('[role="status"]'));
  });

  it('leaves focus alone when it was elsewhere as the hold ends', async () => {
    const outside = document.body.appendChild(document.createElement('button'));
    outside.focus();
    const panel = await render(held(), END - 1_000);
    await at(END);
    expect(document.activeElement).toBe(outside);
    expect(panel.querySelector('[role="status"]')?.textContent).toContain('has ended');
    outside.remove();
  });
});
