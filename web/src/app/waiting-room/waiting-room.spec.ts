import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { order, product } from '../../testing/fixtures';
import { ShopApi } from '../core/shop-api';
import type { AdmissionView, Order, Product } from '../core/shop-types';
import { PurchaseOutcomes } from '../sale/purchase-outcomes';
import type { SaleState } from '../sale/sale-format';
import { ShopperOrders } from '../sale/shopper-orders';
import { WaitingRoom } from './waiting-room';

const NOW = '2030-01-01T10:00:00.000Z';
const drop = (overrides: Partial<Product> = {}) =>
  product({ sku: 'drop', name: 'Comet Jacket', waitingRoom: true, perCustomerLimit: 1, ...overrides });
const waiting: AdmissionView = {
  sku: 'drop',
  state: 'waiting',
  admitted: false,
  position: 12,
  estimatedWaitSeconds: 240,
  retryAfterSeconds: 30,
  ticket: 't-1',
  opensAt: NOW,
  serverTime: NOW,
};
const admitted: AdmissionView = {
  sku: 'drop',
  state: 'admitted',
  admitted: true,
  position: 0,
  ticket: 't-1',
  pass: 'p-1',
  passExpiresAt: '2030-01-01T10:05:00.000Z',
  opensAt: NOW,
  serverTime: NOW,
};

describe('WaitingRoom', () => {
  const api = { checkAdmission: jest.fn<Promise<AdmissionView>, [string, string?]>(), purchase: jest.fn() };
  let fixture: ComponentFixture<WaitingRoom>;
  let orders: ShopperOrders;

  async function render(state: SaleState = 'upcoming', item = drop(), bought: Order[] = []): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [{ provide: ShopApi, useValue: api }, PurchaseOutcomes, ShopperOrders],
    });
    orders = TestBed.inject(ShopperOrders);
    orders.add(...bought);
    fixture = TestBed.createComponent(WaitingRoom);
    document.body.appendChild(fixture.nativeElement);
    fixture.componentRef.setInput('product', item);
    fixture.componentRef.setInput('saleState', state);
    await settle();
    return fixture.nativeElement as HTMLElement;
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  const joinButton = (page: HTMLElement) =>
    Array.from(page.querySelectorAll('button')).find((button) => button.textContent?.includes('Join the line'));
  const text = (page: HTMLElement) => page.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  beforeEach(() => {
    api.checkAdmission.mockReset();
    api.purchase.mockReset();
    sessionStorage.clear();
  });

  afterEach(() => {
    (fixture?.nativeElement as HTMLElement | undefined)?.remove();
    fixture?.destroy();
  });

  it('joins no line when the page merely opens: it offers "Join the line" instead', async () => {
    api.checkAdmission.mockResolvedValue(waiting);
    const page = await render('upcoming');

    expect(api.checkAdmission).not.toHaveBeenCalled();
    expect(joinButton(page)?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Join the line for Comet Jacket');
    expect(page.querySelector('.place')).toBeNull();
  });

  it('joins when the shopper presses Join the line, then shows the place in line', async () => {
    api.checkAdmission.mockResolvedValue(waiting);
    const page = await render('open');

    joinButton(page)?.click();
    await settle();

    expect(api.checkAdmission).toHaveBeenCalledTimes(1);
    expect(api.checkAdmission).toHaveBeenCalledWith('drop', undefined);
    expect(page.querySelector('.place')?.textContent).toBe("You're in line: about 12 ahead, ~4 min");
    expect(joinButton(page)).toBeUndefined();
    expect(document.activeElement).toBe(page.querySelector('.line'));
  });

  it('offers no line once the product sold out or ended before the shopper joined', async () => {
    const soldOut = await render('sold-out');
    expect(joinButton(soldOut)).toBeUndefined();
    fixture.componentRef.setInput('saleState', 'ended');
    await settle();
    expect(joinButton(soldOut)).toBeUndefined();
    expect(api.checkAdmission).not.toHaveBeenCalled();
  });

  it('after buying in its turn, drops "It\'s your turn" and the greyed Buy, and says the turn is used', async () => {
    api.checkAdmission.mockResolvedValue(admitted);
    const page = await render('open');
    joinButton(page)?.click();
    await settle();
    expect(text(page)).toContain("It's your turn!");

    orders.add(order({ sku: 'drop', quantity: 1 }));
    await settle();

    expect(text(page)).not.toContain("It's your turn!");
    expect(page.querySelector('app-purchase-form')).toBeNull();
    expect(page.querySelector('[role="status"]')?.textContent).toContain('Your turn is used');
  });

  it('keeps the turn while the shopper may still buy more (bought 1 of 2)', async () => {
    api.checkAdmission.mockResolvedValue(admitted);
    const page = await render('open', drop({ perCustomerLimit: 2 }));
    joinButton(page)?.click();
    await settle();

    orders.add(order({ sku: 'drop', quantity: 1 }));
    await settle();

    expect(text(page)).toContain("It's your turn!");
    expect((page.querySelector('app-purchase-form button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers no line to a shopper who already has the limit', async () => {
    const page = await render('open', drop(), [order({ sku: 'drop', quantity: 1 })]);
    expect(joinButton(page)).toBeUndefined();
    expect(api.checkAdmission).not.toHaveBeenCalled();
  });

  it('follows a line the shopper joined again after a reload of the tab, without a second press', async () => {
    api.checkAdmission.mockResolvedValue(waiting);
    const first = await render('upcoming');
    joinButton(first)?.click();
    await settle();
    fixture.destroy();
    TestBed.resetTestingModule();

    const reloaded = await render('upcoming');

    expect(api.checkAdmission).toHaveBeenCalledTimes(2);
    expect(reloaded.querySelector('.place')?.textContent).toBe("You're in line: about 12 ahead, ~4 min");
  });

  it('after a reload, still joins no line the shopper did not join', async () => {
    api.checkAdmission.mockResolvedValue(waiting);
    await render('upcoming');
    fixture.destroy();
    TestBed.resetTestingModule();

    const reloaded = await render('upcoming');

    expect(api.checkAdmission).not.toHaveBeenCalled();
    expect(joinButton(reloaded)).toBeDefined();
  });
});
