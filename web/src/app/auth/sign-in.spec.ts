import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { recordNavigations } from '../../testing/navigation';
import { CognitoError } from './cognito';
import { Session } from './session';
import { SignIn } from './sign-in';

describe('SignIn', () => {
  const signIn = jest.fn();
  let fixture: ComponentFixture<SignIn>;
  let navigations: unknown[][];

  async function render(inputs: { returnUrl?: string } = {}): Promise<HTMLElement> {
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: Session, useValue: { signIn } }] });
    navigations = recordNavigations();
    fixture = TestBed.createComponent(SignIn);
    if (inputs.returnUrl) fixture.componentRef.setInput('returnUrl', inputs.returnUrl);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  async function submit(page: HTMLElement, email: string, password: string): Promise<void> {
    for (const [id, value] of [
      ['#sign-in-email', email],
      ['#sign-in-password', password],
    ] as const) {
      const input = page.querySelector(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    page.querySelector('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  beforeEach(() => signIn.mockReset());

  it('labels both fields', async () => {
    const page = await render();
    expect(page.querySelector('label[for="sign-in-email"]')?.textContent).toBe('Email');
    expect(page.querySelector('label[for="sign-in-password"]')?.textContent).toBe('Password');
  });

  it('signs in and returns to the page the shopper came from', async () => {
    signIn.mockResolvedValue(undefined);
    const page = await render({ returnUrl: '/orders' });
    await submit(page, ' ada@example.com ', 'Secret123');
    expect(signIn).toHaveBeenCalledWith('ada@example.com', 'Secret123');
    expect(navigations).toEqual([['/orders']]);
  });

  it('refuses to return anywhere but a path of this app (an open redirect), going to the sale instead', async () => {
    signIn.mockResolvedValue(undefined);
    const page = await render({ returnUrl: '/\\evil.example' });
    await submit(page, 'ada@example.com', 'Secret123');
    expect(navigations).toEqual([['/']]);
  });

  it('passes the return URL on to account creation', async () => {
    const page = await render({ returnUrl: '/p/demo-hoodie' });
    expect(page.querySelector('a[href^="/sign-up"]')?.getAttribute('href')).toBe(
      '/sign-up?returnUrl=%2Fp%2Fdemo-hoodie',
    );
  });

  it('says "wrong email or password" for the exception cognito-local uses for it', async () => {
    signIn.mockRejectedValue(new CognitoError('InvalidPasswordException', 'Invalid password'));
    const page = await render();
    await submit(page, 'ada@example.com', 'wrong');
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('Wrong email or password.');
  });

  it('sends an unconfirmed shopper to the confirmation step', async () => {
    signIn.mockRejectedValue(new CognitoError('UserNotConfirmedException', 'User is not confirmed.'));
    const page = await render();
    await submit(page, 'ada@example.com', 'Secret123');
    expect(navigations).toEqual([[['/sign-up'], { queryParams: { confirm: 'ada@example.com' } }]]);
  });

  it('shows each missing field under it, tied to it, and focuses the first', async () => {
    const page = await render();
    await submit(page, '', '');

    expect(signIn).not.toHaveBeenCalled();
    for (const [id, message] of [
      ['sign-in-email', 'Enter your email address.'],
      ['sign-in-password', 'Enter your password.'],
    ]) {
      const field = page.querySelector(`#${id}`)!;
      expect(field.getAttribute('aria-invalid')).toBe('true');
      expect(page.querySelector(`#${field.getAttribute('aria-describedby')}`)?.textContent).toBe(message);
    }
    expect(document.activeElement?.id).toBe('sign-in-email');
  });
});
