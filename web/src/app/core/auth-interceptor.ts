import { HttpContextToken, HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { Session } from '../auth/session';
import { RuntimeConfig } from './config';

/** Marks a call to a public route: it goes without a token, so the edge can serve everyone one cached copy. */
export const PUBLIC_ROUTE = new HttpContextToken<boolean>(() => false);

/**
 * Sends the shopper's access token with every API request, and treats a 401 as the end of the
 * session: sign out, which takes the shopper to the sign-in page (see App). Requests elsewhere (config.json, Cognito) pass untouched.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const config = inject(RuntimeConfig);
  const session = inject(Session);
  if (!request.url.startsWith(config.value.apiUrl) || request.context.get(PUBLIC_ROUTE)) return next(request);
  return from(session.accessToken()).pipe(
    switchMap((token) => next(token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request)),
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401) {
        session.signOut('expired'); // the shell then shows the sign-in page
      }
      return throwError(() => error);
    }),
  );
};
