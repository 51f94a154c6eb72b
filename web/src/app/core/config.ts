import { Injectable, signal } from '@angular/core';

/** What the hosting serves at `/config.json`: the local stack generates it, infra uploads it next to the app. */
export interface AppConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Where Cognito's JSON API answers: cognito-local's URL locally, the regional endpoint in AWS. */
  cognitoEndpoint: string;
}

const REQUIRED = ['apiUrl', 'region', 'userPoolId', 'userPoolClientId'] as const;

/** Checks the served document and fills in the regional Cognito endpoint when none is given. */
export function parseConfig(raw: unknown): AppConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('config.json is not a JSON object');
  const fields = raw as Record<string, unknown>;
  const missing = REQUIRED.filter((name) => typeof fields[name] !== 'string' || fields[name] === '');
  if (missing.length > 0) throw new Error(`config.json lacks ${missing.join(', ')}`);
  const region = fields['region'] as string;
  const cognitoEndpoint =
    typeof fields['cognitoEndpoint'] === 'string' && fields['cognitoEndpoint'] !== ''
      ? fields['cognitoEndpoint']
      : `https://cognito-idp.${region}.amazonaws.com/`;
  return {
    apiUrl: (fields['apiUrl'] as string).replace(/\/+$/, ''),
    region,
    userPoolId: fields['userPoolId'] as string,
    userPoolClientId: fields['userPoolClientId'] as string,
    cognitoEndpoint,
  };
}

/**
 * The runtime configuration, read once before the app starts (see app.config.ts), so one build
 * runs against any stack. A failed read is kept as a message for the shell to show, not thrown.
 */
@Injectable({ providedIn: 'root' })
export class RuntimeConfig {
  private readonly loaded = signal<AppConfig | undefined>(undefined);
  readonly problem = signal<string | undefined>(undefined);

  get value(): AppConfig {
    const config = this.loaded();
    if (!config) throw new Error('the runtime configuration is not loaded (is /config.json served?)');
    return config;
  }

  /** For tests and for the initializer. */
  set(config: AppConfig): void {
    this.loaded.set(config);
  }

  async load(url = '/config.json'): Promise<void> {
    try {
      // The default cache mode, so the copy index.html preloads is used; it is served `no-cache` (revalidated).
      const response = await fetch(url);
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
      this.loaded.set(parseConfig(await response.json()));
    } catch (error) {
      this.problem.set(error instanceof Error ? error.message : String(error));
    }
  }
}
