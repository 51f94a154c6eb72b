import { authErrorMessage, codeInbox } from './auth-messages';
import { CognitoError } from './cognito';

const refusal = (type: string) => new CognitoError(type, 'raw message');

describe('authErrorMessage', () => {
  it('reads a wrong password at sign-in as wrong credentials, whichever exception says it', () => {
    // Real Cognito says NotAuthorizedException; cognito-local says InvalidPasswordException.
    expect(authErrorMessage(refusal('NotAuthorizedException'), 'signIn')).toBe('Wrong email or password.');
    expect(authErrorMessage(refusal('InvalidPasswordException'), 'signIn')).toBe('Wrong email or password.');
    expect(authErrorMessage(refusal('UserNotFoundException'), 'signIn')).toBe('Wrong email or password.');
  });

  it('reads InvalidPasswordException at sign-up as a weak password', () => {
    expect(authErrorMessage(refusal('InvalidPasswordException'), 'signUp')).toMatch(/too weak/);
  });

  it('names unconfirmed accounts, taken emails and wrong codes plainly', () => {
    expect(authErrorMessage(refusal('UserNotConfirmedException'), 'signIn')).toMatch(/not confirmed/);
    expect(authErrorMessage(refusal('UsernameExistsException'), 'signUp')).toMatch(/already exists/);
    expect(authErrorMessage(refusal('CodeMismatchException'), 'confirm')).toMatch(/code is not right/);
  });

  it('blames the connection, not the shopper, when Cognito was never reached', () => {
    expect(authErrorMessage(new TypeError('Failed to fetch'), 'signIn')).toMatch(/Could not reach/);
  });
});

describe('authErrorMessage for recovering an account', () => {
  it('names a wrong or expired reset code, and a weak new password', () => {
    expect(authErrorMessage(refusal('CodeMismatchException'), 'reset')).toBe(
      'That reset code is not right. Check the e-mail and try again.',
    );
    expect(authErrorMessage(refusal('ExpiredCodeException'), 'reset')).toBe(
      'That code has expired. Ask for a new one.',
    );
    expect(authErrorMessage(refusal('InvalidPasswordException'), 'reset')).toMatch(/too weak/);
  });

  it('says where the code is when cognito-local cannot send a new one', () => {
    expect(authErrorMessage(refusal('Unsupported'), 'resend')).toMatch(
      /first code still works: it is printed in the terminal running npm start/,
    );
  });
});

describe('where the codes are', () => {
  it('are e-mailed by Cognito in AWS, and printed in the terminal running npm start by cognito-local', () => {
    expect(codeInbox('https://cognito-idp.eu-west-1.amazonaws.com/')).toBe('email');
    expect(codeInbox('http://127.0.0.1:9229/')).toBe('terminal');
    expect(codeInbox('http://192.168.1.20:9229/')).toBe('terminal');
    expect(codeInbox('not a url')).toBe('email');
  });

  it('sends the shopper to the terminal, not to an e-mail, for a wrong code on the local stack', () => {
    for (const operation of ['confirm', 'reset'] as const) {
      const said = authErrorMessage(refusal('CodeMismatchException'), operation, 'terminal');
      expect(said).toContain('printed in the terminal running npm start');
      expect(said).not.toMatch(/e-?mail/i);
    }
    expect(authErrorMessage(refusal('UserNotConfirmedException'), 'signIn', 'terminal')).toContain(
      'printed in the terminal running npm start',
    );
  });

  it('still says to check the e-mail where the pool sends one', () => {
    expect(authErrorMessage(refusal('CodeMismatchException'), 'confirm', 'email')).toBe(
      'That confirmation code is not right. Check the e-mail and try again.',
    );
  });
});
