import { HttpHeaders, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Session } from '../auth/session';
import { TEST_CONFIG, order, product } from '../../testing/fixtures';
import { ApiError } from './api-error';
import { ASSET_MAP_ID, forgetAssetMap } from './asset-urls';
import { RuntimeConfig } from './config';
import { PUBLIC_ROUTE } from './auth-interceptor';
import { PURCHASE_ATTEMPTS, ShopApi } from './shop-api';

const INTENT = { sku: 'demo-hoodie', quantity: 1, idempotencyKey: '6f1c1e9e-7a43-4d5e-9a65-2b7f7a1a0c11' };

describe('ShopApi', () => {
  let api: ShopApi;
  let http: HttpTestingController;
  const signedIn = signal(false);

  beforeEach(() => {
    signedIn.set(false);
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: Session, useValue: { signedIn } }],
    });
    TestBed.inject(RuntimeConfig).set(TEST_CONFIG);
    api = TestBed.inject(ShopApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  const expectPurchase = () => http.expectOne({ method: 'POST', url: 'http://api.test/purchases' });
  const refuse = (status: number, code: string, extra: Record<string, unknown> = {}, headers?: HttpHeaders) =>
    expectPurchase().flush(
      { error: { code, message: 'server words', ...extra } },
      { status, statusText: 'refused', ...(headers ? { headers } : {}) },
    );

  it('posts the intent and returns the order', async () => {
    const bought = api.purchase(INTENT);
    const request = expectPurchase();
    expect(request.request.body).toEqual(INTENT);
    request.flush({ order: order() }, { status: 201, statusText: 'Created' });
    expect(await bought).toEqual(order());
  });

  it.each([
    [409, 'SOLD_OUT', {}, 'Sold out: every unit has been sold.'],
    [409, 'INSUFFICIENT_STOCK', { available: 2 }, 'Not enough left: only 2 remaining. Choose a smaller quantity.'],
    [409, 'SALE_NOT_STARTED', {}, 'The sale has not started yet. Wait for the countdown to finish.'],
    [409, 'SALE_ENDED', {}, 'The sale has ended.'],
    [409, 'LIMIT_EXCEEDED', { perCustomerLimit: 2 }, 'Limit reached: each customer can buy at most 2 of this product.'],
    [409, 'IDEMPOTENCY_KEY_REUSED', {}, 'This purchase clashed with an earlier one. Please press Buy again.'],
    [404, 'PRODUCT_NOT_FOUND', {}, 'This product is no longer part of the sale.'],
    [400, 'INVALID_REQUEST', {}, 'The shop could not accept that request. Reload the page and try again.'],
  ])('turns %i %s into its own plain message, without retrying', async (status, code, extra, message) => {
    const bought = api.purchase(INTENT).catch((error: unknown) => error);
    refuse(status, code, extra);
    const error = (await bought) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    http.expectNone('http://api.test/purchases');
  });

  it.each([
    [503, 'our TRY_AGAIN', { error: { code: 'TRY_AGAIN', message: 'server words', retryAfterSeconds: 2 } }, 2],
    [429, "API Gateway's stage throttle", { message: 'Too Many Requests' }, 3],
    [502, 'a failed Lambda behind API Gateway', { message: 'Internal Server Error' }, 3],
    [504, 'a timed-out Lambda behind API Gateway', { message: 'Endpoint request timed out' }, 3],
  ])(
    'retries a %i (%s) with the same idempotency key, honouring Retry-After',
    async (status, _what, body, retryAfterSeconds) => {
      jest.useFakeTimers();
      const bought = api.purchase(INTENT);
      expectPurchase().flush(body, {
        status,
        statusText: 'not now',
        headers: new HttpHeaders({ 'Retry-After': String(retryAfterSeconds) }),
      });

      await jest.advanceTimersByTimeAsync(retryAfterSeconds * 1_000 - 1);
      http.expectNone('http://api.test/purchases');
      await jest.advanceTimersByTimeAsync(1);
      const retry = expectPurchase();
      expect(retry.request.body).toEqual(INTENT);
      retry.flush({ order: order({ orderId: INTENT.idempotencyKey }) }, { status: 201, statusText: 'Created' });

      expect((await bought).orderId).toBe(INTENT.idempotencyKey);
    },
  );

  it('does not retry a 500: that is a bug, not "not now"', async () => {
    const bought = api.purchase(INTENT).catch((error: unknown) => error);
    expectPurchase().flush(
      { error: { code: 'INTERNAL_ERROR', message: 'bug' } },
      { status: 500, statusText: 'Internal Server Error' },
    );

    expect(((await bought) as ApiError).retryable).toBe(false);
    http.expectNone('http://api.test/purchases');
  });

  it('reports each retry as it starts waiting, numbered out of all attempts', async () => {
    jest.useFakeTimers();
    const retries: [number, number][] = [];
    const bought = api.purchase(INTENT, (attempt, attempts) => retries.push([attempt, attempts]));

    refuse(503, 'TRY_AGAIN', {}, new HttpHeaders({ 'Retry-After': '1' }));
    await jest.advanceTimersByTimeAsync(0);
    expect(retries).toEqual([[2, PURCHASE_ATTEMPTS]]);
    await jest.advanceTimersByTimeAsync(1_000);
    refuse(503, 'TRY_AGAIN', {}, new HttpHeaders({ 'Retry-After': '1' }));
    await jest.advanceTimersByTimeAsync(1_000);
    expectPurchase().flush({ order: order() }, { status: 201, statusText: 'Created' });

    await expect(bought).resolves.toEqual(order());
    expect(retries).toEqual([
      [2, PURCHASE_ATTEMPTS],
      [3, PURCHASE_ATTEMPTS],
    ]);
  });

  it('retries after a network error with the same idempotency key', async () => {
    jest.useFakeTimers();
    const bought = api.purchase(INTENT);
    expectPurchase().error(new ProgressEvent('error'));

    await jest.advanceTimersByTimeAsync(5_000);
    const retry = expectPurchase();
    expect(retry.request.body.idempotencyKey).toBe(INTENT.idempotencyKey);
    retry.flush({ order: order() }, { status: 200, statusText: 'OK' });

    await expect(bought).resolves.toEqual(order());
  });

  it(`gives up after ${PURCHASE_ATTEMPTS} attempts with a message about being busy`, async () => {
    jest.useFakeTimers();
    const bought = api.purchase(INTENT).catch((error: unknown) => error);
    for (let attempt = 1; attempt <= PURCHASE_ATTEMPTS; attempt++) {
      refuse(503, 'TRY_AGAIN', {}, new HttpHeaders({ 'Retry-After': '1' }));
      await jest.advanceTimersByTimeAsync(1_000);
    }
    const error = (await bought) as ApiError;
    expect(error.code).toBe('TRY_AGAIN');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/very busy/);
    http.expectNone('http://api.test/purchases');
  });

  it('reads products and orders', async () => {
    signedIn.set(true);
    const products = api.listProducts();
    http.expectOne('http://api.test/products').flush({ products: [], asOf: '2030-01-01T10:00:00.000Z' });
    expect(await products).toEqual({ products: [], asOf: '2030-01-01T10:00:00.000Z' });

    const orders = api.listOrders();
    http.expectOne('http://api.test/orders').flush({ orders: [order()] });
    expect(await orders).toEqual([order()]);
  });

  it("shows each listed product's picture through the build's content-hashed copy", async () => {
    const map = document.createElement('script');
    map.type = 'application/json';
    map.id = ASSET_MAP_ID;
    map.textContent = JSON.stringify({ '/images/demo-hoodie.svg': '/media/images/demo-hoodie-3QTC7PKR.svg' });
    document.head.append(map);
    forgetAssetMap();
    signedIn.set(true);
    try {
      const products = api.listProducts();
      http.expectOne('http://api.test/products').flush({ products: [product()], asOf: '2030-01-01T10:00:00.000Z' });

      expect((await products).products[0]?.imageUrl).toBe('/media/images/demo-hoodie-3QTC7PKR.svg');
    } finally {
      map.remove();
      forgetAssetMap();
    }
  });

  it('reports a failed read with a plain message', async () => {
    signedIn.set(true);
    const products = api.listProducts().catch((error: unknown) => error);
    http.expectOne('http://api.test/products').flush('boom', { status: 500, statusText: 'Internal Server Error' });
    expect(await products).toMatchObject({
      code: 'SERVER',
      message: 'Something went wrong on our side. Please try again.',
    });
  });

  it('reads one order by its id', async () => {
    const read = api.getOrder('a/b');
    http.expectOne({ method: 'GET', url: 'http://api.test/orders/a%2Fb' }).flush(order({ status: 'PENDING_PAYMENT' }));
    expect(await read).toEqual(order({ status: 'PENDING_PAYMENT' }));
  });

  it('cancels a held order with a POST to its cancel route and returns the order it answers', async () => {
    const cancelled = api.cancelOrder('order-1');
    const request = http.expectOne('http://api.test/orders/order-1/cancel');
    expect(request.request.method).toBe('POST');
    request.flush(order({ status: 'CANCELLED' }));
    expect(await cancelled).toEqual(order({ status: 'CANCELLED' }));
  });

  it.each([
    [
      409,
      'ORDER_NOT_CANCELLABLE',
      'This order can no longer be cancelled: it was paid, or its hold has already ended.',
    ],
    [404, 'ORDER_NOT_FOUND', 'That order could not be found.'],
  ])('turns a %i %s from cancel into its plain message, without retrying', async (status, code, message) => {
    const cancelled = api.cancelOrder('order-1').catch((error: unknown) => error);
    http
      .expectOne('http://api.test/orders/order-1/cancel')
      .flush({ error: { code, message: 'server words', orderId: 'order-1' } }, { status, statusText: 'refused' });
    expect(await cancelled).toMatchObject({ status, code, message });
    http.expectNone('http://api.test/orders/order-1/cancel');
  });

  it('joins a waiting line, then polls it with the ticket', async () => {
    const view = { sku: 'demo drop', state: 'waiting', ticket: 't/1' };
    const joined = api.checkAdmission('demo drop');
    http.expectOne('http://api.test/admission/demo%20drop').flush(view);
    expect(await joined).toEqual(view);

    const polled = api.checkAdmission('demo drop', 't/1');
    http.expectOne('http://api.test/admission/demo%20drop?ticket=t%2F1').flush(view);
    expect(await polled).toEqual(view);
  });

  it('reports a failed admission check as an ApiError with its status', async () => {
    const checked = api.checkAdmission('gone').catch((error: unknown) => error);
    http
      .expectOne('http://api.test/admission/gone')
      .flush({ error: { code: 'PRODUCT_NOT_FOUND', message: 'no' } }, { status: 404, statusText: 'Not Found' });
    expect(await checked).toMatchObject({ status: 404, code: 'PRODUCT_NOT_FOUND' });
  });

  it('reads the public availability feed marked as a public route, so no token goes with it', async () => {
    const feed = api.availability();
    const request = http.expectOne('http://api.test/availability');
    expect(request.request.context.get(PUBLIC_ROUTE)).toBe(true);
    request.flush({
      products: [{ sku: 'demo-hoodie', available: 3, soldOut: false }],
      serverTime: '2030-01-01T10:00:00.000Z',
    });
    expect(await feed).toEqual({
      products: [{ sku: 'demo-hoodie', available: 3, soldOut: false }],
      serverTime: '2030-01-01T10:00:00.000Z',
    });
  });

  it('lists the sale for a visitor from the public catalog, sent without a token (one edge copy for everyone)', async () => {
    const listed = api.listProducts();
    const request = http.expectOne('http://api.test/catalog');
    expect(request.request.context.get(PUBLIC_ROUTE)).toBe(true);
    request.flush({ products: [], asOf: '2030-01-01T10:00:00.000Z' });
    expect(await listed).toEqual({ products: [], asOf: '2030-01-01T10:00:00.000Z' });
  });

  it('lists the sale for a signed-in shopper from the signed-in listing, with the token', async () => {
    signedIn.set(true);
    const listed = api.listProducts();
    const request = http.expectOne('http://api.test/products');
    expect(request.request.context.get(PUBLIC_ROUTE)).toBe(false);
    request.flush({ products: [], asOf: '2030-01-01T10:00:00.000Z' });
    expect(await listed).toEqual({ products: [], asOf: '2030-01-01T10:00:00.000Z' });
  });

  it.each([
    ['SOLD_OUT', true],
    ['INSUFFICIENT_STOCK', true],
    ['LIMIT_EXCEEDED', true],
    ['SALE_NOT_STARTED', false],
    ['IDEMPOTENCY_KEY_REUSED', false],
  ])('a purchase refused with %s is announced as a stale view: %s', async (code, announced) => {
    const seen: string[] = [];
    const subscription = api.staleViewRefusals.subscribe((error) => seen.push(error.code));
    const bought = api.purchase(INTENT).catch(() => undefined);
    refuse(409, code);
    await bought;
    subscription.unsubscribe();
    expect(seen).toEqual(announced ? [code] : []);
  });
});
