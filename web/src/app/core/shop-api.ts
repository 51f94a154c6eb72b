import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Subject, firstValueFrom } from 'rxjs';
import { Session } from '../auth/session';
import { ApiError, toApiError } from './api-error';
import { versionedUrl } from './asset-urls';
import { PUBLIC_ROUTE } from './auth-interceptor';
import { RuntimeConfig } from './config';
import type { AdmissionView, AvailabilityFeed, ErrorCode, Order, Product, PurchaseIntent } from './shop-types';

/** How often a purchase is sent in all, when the network fails or the shop answers 503. */
export const PURCHASE_ATTEMPTS = 4;
/** Wait used when a 503 names no Retry-After, doubled per attempt; Retry-After is capped at the maximum. */
export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 5_000;
/** Refusals that mean the shopper's view of the stock was stale: whatever shows it should re-read at once. */
export const STALE_VIEW_REFUSALS: readonly ErrorCode[] = ['SOLD_OUT', 'INSUFFICIENT_STOCK', 'LIMIT_EXCEEDED'];

/** The shop's HTTP API (README.md, "The HTTP API"). The auth interceptor adds the bearer token. */
@Injectable({ providedIn: 'root' })
export class ShopApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);
  private readonly session = inject(Session);
  /** Each purchase refused for a reason the page's stock should have shown (see STALE_VIEW_REFUSALS). */
  readonly staleViewRefusals = new Subject<ApiError>();

  /**
   * The sale's products: the signed-in listing for a shopper (GET /products), the public catalog for a visitor
   * (GET /catalog: no token, one copy cached at the edge for a second serves every visitor). Same shapes.
   */
  async listProducts(): Promise<{ products: Product[]; asOf: string }> {
    const listing = await (this.session.signedIn()
      ? this.get<{ products: Product[]; asOf: string }>('/products')
      : this.get<{ products: Product[]; asOf: string }>('/catalog', publicRoute()));
    // Pictures by their content-hashed copies, cached for a year (core/asset-urls.ts).
    return {
      ...listing,
      products: listing.products.map((product) => ({ ...product, imageUrl: versionedUrl(product.imageUrl) })),
    };
  }

  /** The public stock feed (no token: one copy cached at the edge serves every shopper). */
  async availability(): Promise<AvailabilityFeed> {
    return this.get('/availability', publicRoute());
  }

  /** GET /admission/{sku}: joins the line on the first call; with the ticket, polls it (answered from memory). */
  async checkAdmission(sku: string, ticket?: string): Promise<AdmissionView> {
    const query = ticket ? `?ticket=${encodeURIComponent(ticket)}` : '';
    return this.get(`/admission/${encodeURIComponent(sku)}${query}`);
  }

  async listOrders(): Promise<Order[]> {
    return (await this.get<{ orders: Order[] }>('/orders')).orders;
  }

  /** GET /orders/{orderId}: one of the shopper's orders as it stands now (404 ORDER_NOT_FOUND for anyone else's). */
  async getOrder(orderId: string): Promise<Order> {
    return this.get(`/orders/${encodeURIComponent(orderId)}`);
  }

  /**
   * POST /orders/{orderId}/cancel: gives up a held order before paying; answers the order now CANCELLED (also
   * when it already was). 409 ORDER_NOT_CANCELLABLE once it was paid or its hold ended. Not retried: the
   * shopper sees the outcome and can press Cancel again, which is harmless.
   */
  async cancelOrder(orderId: string): Promise<Order> {
    try {
      return await firstValueFrom(
        this.http.post<Order>(this.url(`/orders/${encodeURIComponent(orderId)}/cancel`), null),
      );
    } catch (error) {
      throw error instanceof HttpErrorResponse ? toApiError(error) : error;
    }
  }

  /**
   * Buys, retrying a bounded number of times when the outcome is unknown (network error, 503) with
   * the same idempotency key, so a retry can never buy twice. `onRetry` hears of each retry as it
   * starts waiting, e.g. (2, 4) before the second of four attempts, so the page can show progress.
   */
  async purchase(intent: PurchaseIntent, onRetry?: (attempt: number, attempts: number) => void): Promise<Order> {
    for (let attempt = 1; ; attempt++) {
      try {
        const body = await firstValueFrom(
          this.http.post<{ order: Order }>(this.url('/purchases'), intent, { observe: 'body' }),
        );
        return body.order;
      } catch (error) {
        const failure = error instanceof HttpErrorResponse ? toApiError(error) : error;
        if (failure instanceof ApiError && STALE_VIEW_REFUSALS.includes(failure.code as ErrorCode))
          this.staleViewRefusals.next(failure);
        if (!(failure instanceof ApiError) || !failure.retryable || attempt >= PURCHASE_ATTEMPTS) throw failure;
        onRetry?.(attempt + 1, PURCHASE_ATTEMPTS);
        await sleep(retryDelay(error as HttpErrorResponse, attempt));
      }
    }
  }

  private async get<T>(path: string, context?: HttpContext): Promise<T> {
    try {
      return await firstValueFrom(this.http.get<T>(this.url(path), context ? { context } : {}));
    } catch (error) {
      throw error instanceof HttpErrorResponse ? toApiError(error) : error;
    }
  }

  private url(path: string): string {
    return `${this.config.value.apiUrl}${path}`;
  }
}

function publicRoute(): HttpContext {
  return new HttpContext().set(PUBLIC_ROUTE, true);
}

/** Honours Retry-After (seconds) when the shop sends it; otherwise backs off with jitter. */
export function retryDelay(response: HttpErrorResponse, attempt: number): number {
  const header = Number(response.headers?.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return Math.min(header * 1000, RETRY_MAX_MS);
  const backoff = RETRY_BASE_MS * 2 ** (attempt - 1);
  return Math.min(backoff / 2 + Math.random() * (backoff / 2), RETRY_MAX_MS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
