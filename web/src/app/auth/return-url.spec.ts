import { returnParams, safeReturnUrl } from './return-url';

describe('return URL through sign-in and sign-up', () => {
  it('keeps a path of this app, with its query and fragment', () => {
    expect(safeReturnUrl('/p/demo-hoodie')).toBe('/p/demo-hoodie');
    expect(safeReturnUrl('/orders?x=1#top')).toBe('/orders?x=1#top');
  });

  it('refuses anything that would leave the site: another origin, //host, /\\host, a scheme, control characters', () => {
    for (const url of [
      'https://evil.example/p/x',
      '//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      'javascript:alert(1)',
      '/p/x\n//evil.example',
      'p/demo-hoodie',
      '',
    ])
      expect([url, safeReturnUrl(url)]).toEqual([url, '/']);
  });

  it('never returns to the sign-in, sign-up or reset pages (that would loop), nor without a URL', () => {
    expect(safeReturnUrl('/sign-in?returnUrl=/orders')).toBe('/');
    expect(safeReturnUrl('/sign-up')).toBe('/');
    expect(safeReturnUrl('/forgot-password')).toBe('/');
    expect(safeReturnUrl(undefined)).toBe('/');
  });

  it('carries a return URL only when it is somewhere other than the first page', () => {
    expect(returnParams('/p/demo-hoodie')).toEqual({ returnUrl: '/p/demo-hoodie' });
    expect(returnParams('/')).toEqual({});
    expect(returnParams('//evil.example')).toEqual({});
  });
});
