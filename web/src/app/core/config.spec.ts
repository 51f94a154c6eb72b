import { parseConfig } from './config';

describe('parseConfig', () => {
  const served = {
    apiUrl: 'https://api.example.com/',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_abc',
    userPoolClientId: 'client',
  };

  it('uses the regional Cognito endpoint when none is served', () => {
    expect(parseConfig(served)).toEqual({
      apiUrl: 'https://api.example.com',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_abc',
      userPoolClientId: 'client',
      cognitoEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
    });
  });

  it('uses the served Cognito endpoint locally', () => {
    expect(parseConfig({ ...served, cognitoEndpoint: 'http://localhost:9229' }).cognitoEndpoint).toBe(
      'http://localhost:9229',
    );
  });

  it('names every missing field', () => {
    expect(() => parseConfig({ region: 'eu-west-1' })).toThrow(
      'config.json lacks apiUrl, userPoolId, userPoolClientId',
    );
    expect(() => parseConfig('nope')).toThrow('not a JSON object');
  });
});
