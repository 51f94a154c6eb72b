import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { clickButton, fillAndSubmit } from '../../testing/forms';
import { recordNavigations } from '../../testing/navigation';
import { CognitoClient, CognitoError } from './cognito';
import { ForgotPassword } from './forgot-password';
import { Session } from './session';

describe('ForgotPassword', () => {
  const cognito = { forgotPassword: jest.fn(), confirmForgotPassword: jest.fn() };
  const session = { signIn: jest.fn() };
  let fixture: ComponentFixture<ForgotPassword>;
  let navigations: unknown[][];

  async function render(email?: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: CognitoClient, useValue: cognito },
        { provide: Session, useValue: session },
      ],
    });
    navigations = recordNavigations();
    fixture = TestBed.createComponent(ForgotPassword);
    if (email) fixture.componentRef.setInput('email', email);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    cognito.forgotPassword.mockReset().mockResolvedValue(undefined);
    cognito.confirmForgotPassword.mockReset().mockResolvedValue(undefined);
    session.signIn.mockReset().mockResolvedValue(undefined);
  });

  it('sends a code, sets the new password with it, and signs in with that password', async () => {
    const page = await render();
    await fillAndSubmit(fixture, { '#reset-email': 'ada@example.com' });
    expect(cognito.forgotPassword).toHaveBeenCalledWith('ada@example.com');
    expect(page.querySelector('h1')?.textContent).toBe('Choose a new password');
    expect(document.activeElement).toBe(page.querySelector('h1'));

    await fillAndSubmit(fixture, { '#reset-code': ' 123456 ', '#reset-password': 'NewSecret1' });
    expect(cognito.confirmForgotPassword).toHaveBeenCalledWith('ada@example.com', '123456', 'NewSecret1');
    expect(session.signIn).toHaveBeenCalledWith('ada@example.com', 'NewSecret1');
    expect(navigations).toEqual([['/']]);
  });

  it('starts with the email typed on the sign-in page', async () => {
    const page = await render('ada@example.com');
    expect((page.querySelector('#reset-email') as HTMLInputElement).value).toBe('ada@example.com');
  });

  it('answers an unknown email as a known one, so accounts cannot be discovered here', async () => {
    cognito.forgotPassword.mockRejectedValue(new CognitoError('UserNotFoundException', 'User not found.'));
    const page = await render();
    await fillAndSubmit(fixture, { '#reset-email': 'nobody@example.com' });
    expect(page.querySelector('h1')?.textContent).toBe('Choose a new password');
    expect(page.textContent).toContain('If an account exists for nobody@example.com');
  });

  it("refuses a new password the pool's policy would refuse, before asking Cognito", async () => {
    const page = await render();
    await fillAndSubmit(fixture, { '#reset-email': 'ada@example.com' });
    await fillAndSubmit(fixture, { '#reset-code': '123456', '#reset-password': 'password' });

    expect(cognito.confirmForgotPassword).not.toHaveBeenCalled();
    const field = page.querySelector('#reset-password')!;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe('reset-password-problem reset-password-rules');
  });

  it('says plainly when the code is wrong, and can send a new one', async () => {
    cognito.confirmForgotPassword.mockRejectedValue(new CognitoError('CodeMismatchException', 'Invalid code'));
    const page = await render();
    await fillAndSubmit(fixture, { '#reset-email': 'ada@example.com' });
    await fillAndSubmit(fixture, { '#reset-code': '000000', '#reset-password': 'NewSecret1' });
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('That reset code is not right.');
    expect(session.signIn).not.toHaveBeenCalled();

    await clickButton(fixture, 'Send a new code');
    expect(cognito.forgotPassword).toHaveBeenCalledTimes(2);
    expect(page.querySelector('[role="status"]')?.textContent).toContain('We sent a new code to ada@example.com');
  });
});
