import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../core/api-error';
import { RuntimeConfig } from '../core/config';
import type { AdmissionView } from '../core/shop-types';

/** GET /admission/{sku}: joins the line on the first call; with the ticket, polls it (answered from memory). */
@Injectable({ providedIn: 'root' })
export class AdmissionApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(RuntimeConfig);

  async check(sku: string, ticket?: string): Promise<AdmissionView> {
    const query = ticket ? `?ticket=${encodeURIComponent(ticket)}` : '';
    try {
      return await firstValueFrom(
        this.http.get<AdmissionView>(`${this.config.value.apiUrl}/admission/${encodeURIComponent(sku)}${query}`),
      );
    } catch (error) {
      throw error instanceof HttpErrorResponse ? toApiError(error) : error;
    }
  }
}
