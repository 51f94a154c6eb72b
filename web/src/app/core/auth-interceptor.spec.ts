import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { TEST_CONFIG } from '../../testing/fixtures';
import { Session } from '../auth/session';
import { PUBLIC_ROUTE, authInterceptor } from './auth-interceptor';
import { RuntimeConfig } from './config';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  const session = { accessToken: jest.fn(), signOut: jest.fn() };

  beforeEach(() => {
    session.accessToken.mockReset().mockResolvedValue('token-1');
    session.signOut.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: Session, useValue: session },
      ],
    });
    TestBed.inject(RuntimeConfig).set(TEST_CONFIG);
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('sends the access token to the API', async () => {
    const answer = firstValueFrom(http.get('http://api.test/products'));
    await Promise.resolve();
    const request = backend.expectOne('http://api.test/products');
    expect(request.request.headers.get('Authorization')).toBe('Bearer token-1');
    request.flush({});
    await answer;
  });

  it('sends no token to a public route of the API, so every shopper shares one cached copy', async () => {
    const answer = firstValueFrom(
      http.get('http://api.test/availability', { context: new HttpContext().set(PUBLIC_ROUTE, true) }),
    );
    await Promise.resolve();
    const request = backend.expectOne('http://api.test/availability');
    expect(request.request.headers.has('Authorization')).toBe(false);
    expect(session.accessToken).not.toHaveBeenCalled();
    request.flush({});
    await answer;
  });

  it('sends no token anywhere else', async () => {
    const answer = firstValueFrom(http.get('/config.json'));
    const request = backend.expectOne('/config.json');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush({});
    await answer;
  });

  it('ends the session, as expired, when the API answers 401', async () => {
    const answer = firstValueFrom(http.get('http://api.test/orders')).catch((error: unknown) => error);
    await Promise.resolve();
    backend
      .expectOne('http://api.test/orders')
      .flush({ error: { code: 'UNAUTHORIZED' } }, { status: 401, statusText: 'Unauthorized' });
    expect(await answer).toMatchObject({ status: 401 });
    expect(session.signOut).toHaveBeenCalledWith('expired');
  });
});
