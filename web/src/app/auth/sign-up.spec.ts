import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { clickButton, fillAndSubmit } from '../../testing/forms';
import { recordNavigations } from '../../testing/navigation';
import { TEST_CONFIG } from '../../testing/fixtures';
import { RuntimeConfig } from '../core/config';
import { CognitoClient, CognitoError } from './cognito';
import { Session } from './session';
import { SignUp } from './sign-up';

describe('SignUp', () => {
  const cognito = { signUp: jest.fn(), confirmSignUp: jest.fn(), resendConfirmationCode: jest.fn() };
  const session = { signIn: jest.fn() };
  let fixture: ComponentFixture<SignUp>;
  let navigations: unknown[][];

  async function render(confirm?: string, returnUrl?: string, cognitoEndpoint?: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: CognitoClient, useValue: cognito },
        { provide: Session, useValue: session },
      ],
    });
    if (cognitoEndpoint) TestBed.inject(RuntimeConfig).set({ ...TEST_CONFIG, cognitoEndpoint });
    navigations = recordNavigations();
    fixture = TestBed.createComponent(SignUp);
    if (confirm) fixture.componentRef.setInput('confirm', confirm);
    if (returnUrl) fixture.componentRef.setInput('returnUrl', returnUrl);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    cognito.signUp.mockReset();
    cognito.confirmSignUp.mockReset().mockResolvedValue(undefined);
    cognito.resendConfirmationCode.mockReset().mockResolvedValue(undefined);
    session.signIn.mockReset().mockResolvedValue(undefined);
  });

  it('asks for the e-mailed code, then confirms and signs in with the password just chosen', async () => {
    cognito.signUp.mockResolvedValue({ confirmed: false });
    const page = await render();

    await fillAndSubmit(fixture, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(cognito.signUp).toHaveBeenCalledWith('ada@example.com', 'Secret123');
    expect(page.querySelector('h1')?.textContent).toBe('Confirm your email');

    await fillAndSubmit(fixture, { '#sign-up-code': ' 123456 ' });
    expect(cognito.confirmSignUp).toHaveBeenCalledWith('ada@example.com', '123456');
    expect(session.signIn).toHaveBeenCalledWith('ada@example.com', 'Secret123');
    expect(navigations).toEqual([['/']]);
  });

  it('skips the code when the pool confirms accounts on its own', async () => {
    cognito.signUp.mockResolvedValue({ confirmed: true });
    await render();
    await fillAndSubmit(fixture, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(cognito.confirmSignUp).not.toHaveBeenCalled();
    expect(navigations).toEqual([['/']]);
  });

  it('confirms an account sent here from sign-in, then asks to sign in (the password is not known here)', async () => {
    const page = await render('ada@example.com');
    expect(page.querySelector('h1')?.textContent).toBe('Confirm your email');

    await fillAndSubmit(fixture, { '#sign-up-code': '123456' });
    expect(session.signIn).not.toHaveBeenCalled();
    expect(navigations).toEqual([[['/sign-in'], { queryParams: { reason: 'confirmed', email: 'ada@example.com' } }]]);
  });

  it('brings a visitor who signed up at Buy back to the product, and only to a path of this app', async () => {
    cognito.signUp.mockResolvedValue({ confirmed: true });
    await render(undefined, '/p/demo-hoodie');
    await fillAndSubmit(fixture, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(navigations).toEqual([['/p/demo-hoodie']]);

    TestBed.resetTestingModule();
    await render(undefined, '//evil.example/p');
    await fillAndSubmit(fixture, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(navigations).toEqual([['/']]);
  });

  it('carries the return URL through confirming and signing in again', async () => {
    await render('ada@example.com', '/p/demo-hoodie');
    await fillAndSubmit(fixture, { '#sign-up-code': '123456' });
    expect(navigations).toEqual([
      [['/sign-in'], { queryParams: { reason: 'confirmed', email: 'ada@example.com', returnUrl: '/p/demo-hoodie' } }],
    ]);
  });

  it('says plainly when the email is taken, or when the pool still finds the password too weak', async () => {
    const page = await render();
    cognito.signUp.mockRejectedValueOnce(new CognitoError('UsernameExistsException', 'User already exists'));
    await fillAndSubmit(fixture, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'Secret123' });
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('already exists');

    cognito.signUp.mockRejectedValueOnce(
      new CognitoError('InvalidPasswordException', 'Password did not conform with policy'),
    );
    await fillAndSubmit(fixture, { '#sign-up-password': 'Secret1234' });
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('too weak');
  });

  it("checks the password against the pool's policy before asking Cognito, with the problem tied to the field", async () => {
    const page = await render();
    await fillAndSubmit(fixture, { '#sign-up-email': 'ada@example.com', '#sign-up-password': 'password' });

    expect(cognito.signUp).not.toHaveBeenCalled();
    const field = page.querySelector('#sign-up-password') as HTMLInputElement;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const described = field
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => page.querySelector(`#${id}`)?.textContent ?? '');
    expect(described[0]).toContain('does not meet every rule');
    expect(described[1]).toMatch(/An upper-case letter \(A-Z\)\s*\(not yet\)/);
    expect(described[1]).toMatch(/A number \(0-9\)\s*\(not yet\)/);
    expect(described[1]).toMatch(/At least 8 characters\s*\(done\)/);
    expect(document.activeElement).toBe(field);
  });

  it('ties an invalid email to its field and leaves the valid password field alone', async () => {
    const page = await render();
    await fillAndSubmit(fixture, { '#sign-up-email': 'not-an-email', '#sign-up-password': 'Secret123' });

    const email = page.querySelector('#sign-up-email')!;
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(page.querySelector(`#${email.getAttribute('aria-describedby')}`)?.textContent).toContain(
      'Enter a valid email address',
    );
    expect(page.querySelector('#sign-up-password')!.getAttribute('aria-invalid')).toBeNull();
  });

  it('sends a new confirmation code on request and says so', async () => {
    const page = await render('ada@example.com');
    await clickButton(fixture, 'Send a new code');

    expect(cognito.resendConfirmationCode).toHaveBeenCalledWith('ada@example.com');
    expect(page.querySelector('[role="status"]')?.textContent).toContain('We sent a new code to ada@example.com.');
  });

  it('explains, without failing, that cognito-local cannot resend and where the first code is', async () => {
    cognito.resendConfirmationCode.mockRejectedValue(
      new CognitoError('Unsupported', 'Cognito Local unsupported feature'),
    );
    const page = await render('ada@example.com');
    await clickButton(fixture, 'Send a new code');

    expect(page.querySelector('[role="alert"]')?.textContent).toContain('printed in the terminal running npm start');
  });

  it('on the local stack, says a wrong code is checked against the terminal running npm start, not an e-mail', async () => {
    cognito.confirmSignUp.mockRejectedValue(new CognitoError('CodeMismatchException', 'Invalid code'));
    const page = await render('ada@example.com', undefined, 'http://127.0.0.1:9229/');
    expect(page.textContent).toContain('printed in the terminal running npm start');

    await fillAndSubmit(fixture, { '#sign-up-code': '000000' });

    const alert = page.querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toContain('printed in the terminal running npm start');
    expect(alert).not.toMatch(/e-?mail/i);
  });

  it('in AWS, says a wrong code is checked against the e-mail', async () => {
    cognito.confirmSignUp.mockRejectedValue(new CognitoError('CodeMismatchException', 'Invalid code'));
    const page = await render('ada@example.com', undefined, 'https://cognito-idp.eu-west-1.amazonaws.com/');

    await fillAndSubmit(fixture, { '#sign-up-code': '000000' });

    expect(page.querySelector('[role="alert"]')?.textContent).toContain('Check the e-mail');
  });
});
