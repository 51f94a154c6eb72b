import { ASSET_MAP_ID, forgetAssetMap, versionedUrl } from './asset-urls';

describe('versionedUrl', () => {
  afterEach(() => {
    document.getElementById(ASSET_MAP_ID)?.remove();
    forgetAssetMap();
  });

  function buildMap(map: Record<string, string>): void {
    const block = document.createElement('script');
    block.type = 'application/json';
    block.id = ASSET_MAP_ID;
    block.textContent = JSON.stringify(map);
    document.head.append(block);
  }

  it("gives a built picture's content-hashed copy", () => {
    buildMap({ '/images/demo-hoodie.svg': '/media/images/demo-hoodie-3QTC7PKR.svg' });

    expect(versionedUrl('/images/demo-hoodie.svg')).toBe('/media/images/demo-hoodie-3QTC7PKR.svg');
  });

  it('leaves an address the build does not know as it is', () => {
    buildMap({ '/images/demo-hoodie.svg': '/media/images/demo-hoodie-3QTC7PKR.svg' });

    expect(versionedUrl('https://cdn.example.com/cap.png')).toBe('https://cdn.example.com/cap.png');
  });

  it('leaves every address as it is without a map (a development build) or with a broken one', () => {
    expect(versionedUrl('/images/demo-hoodie.svg')).toBe('/images/demo-hoodie.svg');
    forgetAssetMap();
    const block = document.createElement('script');
    block.type = 'application/json';
    block.id = ASSET_MAP_ID;
    block.textContent = '{not json';
    document.head.append(block);

    expect(versionedUrl('/images/demo-hoodie.svg')).toBe('/images/demo-hoodie.svg');
  });
});
