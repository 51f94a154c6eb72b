import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { recordNavigations } from '../../testing/navigation';
import { CognitoClient, CognitoError } from './cognito';
import { Session } from './session';
import { SignUp } from './sign-up';

describe('SignUp', () => {
  const cognito = { signUp: jest.fn(), confirmSignUp: jest.fn() };
  const session = { signIn: jest.fn() };
  let fixture: ComponentFixture<SignUp>;
  let navigations: unknown[][];

  async function render(confirm?: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: CognitoClient, useValue: cognito }, { provide: Session, useValue: session }],
    });
    navigations = recordNavigations();
    fixture = TestBed.createComponent(SignUp);
    if (confirm) fixture.componentRef.setInput('confirm', confirm);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  async function fillAndSubmit(page: HTMLElement, fields: Record<string, string>): Promise<void> {
    for (const [selector, value] of Object.entries(fields)) {
      const input = page.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    page.querySelector('form')!.dispatchEvent(new Event('submit'));
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  beforeEach(() => {
    cognito.signUp.mockReset();
    cognito.confirmSignUp.mockReset().mockResolvedValue(undefined);
    session.signIn.mockReset().mockResolvedValue(undefined);
  });

  it('asks for the e-mailed code, then confirms and signs in with the password just chosen', async () => {
    cognito.signUp.mockResolvedValue({ confirmed: false });
    const page = await render();

    await fillAndSubmit(page, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(cognito.signUp).toHaveBeenCalledWith('ada@example.com', 'Secret123');
    expect(page.querySelector('h1')?.textContent).toBe('Confirm your email');

    await fillAndSubmit(page, { '#sign-up-code': ' 123456 ' });
    expect(cognito.confirmSignUp).toHaveBeenCalledWith('ada@example.com', '123456');
    expect(session.signIn).toHaveBeenCalledWith('ada@example.com', 'Secret123');
    expect(navigations).toEqual([['/']]);
  });

  it('skips the code when the pool confirms accounts on its own', async () => {
    cognito.signUp.mockResolvedValue({ confirmed: true });
    const page = await render();
    await fillAndSubmit(page, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(cognito.confirmSignUp).not.toHaveBeenCalled();
    expect(navigations).toEqual([['/']]);
  });

  it('confirms an account sent here from sign-in, then asks to sign in (the password is not known here)', async () => {
    const page = await render('ada@example.com');
    expect(page.querySelector('h1')?.textContent).toBe('Confirm your email');

    await fillAndSubmit(page, { '#sign-up-code': '123456' });
    expect(session.signIn).not.toHaveBeenCalled();
    expect(navigations).toEqual([[['/sign-in'], { queryParams: { reason: 'confirmed', email: 'ada@example.com' } }]]);
  });

  it('says plainly when the email is taken or the password too weak', async () => {
    const page = await render();
    cognito.signUp.mockRejectedValueOnce(new CognitoError('UsernameExistsException', 'User already exists'));
    await fillAndSubmit(page, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('already exists');

    cognito.signUp.mockRejectedValueOnce(new CognitoError('InvalidPasswordException', 'Password did not conform with policy'));
    await fillAndSubmit(page, { '#sign-up-password': 'weakpassword' });
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('too weak');
  });
});
