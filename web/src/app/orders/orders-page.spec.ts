import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { order, product } from '../../testing/fixtures';
import { ShopApi } from '../core/shop-api';
import { OrdersPage } from './orders-page';

describe('OrdersPage', () => {
  async function render(): Promise<HTMLElement> {
    const later = new Date(Date.now() + 300_000).toISOString();
    const api = {
      listOrders: jest.fn().mockResolvedValue([
        order({ orderId: 'instant-1', createdAt: '2030-01-01T10:00:00.000Z' }),
        order({
          orderId: 'held-1',
          status: 'PENDING_PAYMENT',
          holdExpiresAt: later,
          createdAt: '2030-01-01T10:03:00.000Z',
        }),
        order({ orderId: 'refunded-1', status: 'REFUNDED', createdAt: '2030-01-01T10:02:00.000Z' }),
        order({ orderId: 'cancelled-1', status: 'CANCELLED', createdAt: '2030-01-01T10:01:00.000Z' }),
      ]),
      listProducts: jest.fn().mockResolvedValue({ products: [product()], asOf: '2030-01-01T10:05:00.000Z' }),
    };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: ShopApi, useValue: api }] });
    const fixture = TestBed.createComponent(OrdersPage);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it("links each order to its order's page, named after the product and when it was placed", async () => {
    const page = await render();
    const links = Array.from(page.querySelectorAll<HTMLAnchorElement>('.order h2 a'));
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '/orders/held-1',
      '/orders/refunded-1',
      '/orders/cancelled-1',
      '/orders/instant-1',
    ]);
    expect(links[0]?.textContent).toMatch(/^Midnight Hoodie, order placed .+/);
  });

  it("shows each order's status in words", async () => {
    const page = await render();
    const statuses = Array.from(page.querySelectorAll('.order')).map((row) => [
      row.getAttribute('data-order-id'),
      row.querySelector('.status')?.textContent?.trim(),
    ]);
    expect(statuses).toEqual([
      ['held-1', 'Waiting for payment'],
      ['refunded-1', 'Refunded'],
      ['cancelled-1', 'Cancelled'],
      ['instant-1', 'Confirmed'],
    ]);
  });

  it('reads like a shop: each order with its picture, its order number and what it cost', async () => {
    const page = await render();
    const first = page.querySelector('.order[data-order-id="instant-1"]')!;
    expect(first.querySelector('img')?.getAttribute('src')).toBe(product().imageUrl);
    expect(first.querySelector('.order-id')?.textContent).toBe('instant-1');
    expect(first.querySelector('.total')?.textContent).toMatch(/49[.,]00/);
  });

  it('totals only the confirmed orders', async () => {
    const page = await render();
    expect(page.querySelector('.spent')?.textContent).toContain('All confirmed orders');
    expect(page.querySelector('.spent .grand')?.textContent).toMatch(/49[.,]00/);
  });
});
