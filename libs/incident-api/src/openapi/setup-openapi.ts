import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The security scheme's name; the default of @ApiBearerAuth(), should a controller want to say it. */
export const OPENAPI_BEARER = 'bearer';

// Served by ServiceRuntimeModule's HealthController with @Public(): the only operations that need no key.
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface OpenApiOptions {
  title?: string;
  version?: string;
}

/**
 * The document of every controller in the application, generated from their decorators: the
 * incident API's and whatever else the app mounts (the signal endpoints), with no list to keep.
 * Every operation requires the bearer API key, as the guard does (deny by default), except the
 * public health endpoints.
 */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title ?? 'Incident platform API')
    .setDescription(
      'Signals in, incidents out, and the audit of the event log. Every request needs ' +
        '`Authorization: Bearer <API key>`; an operation\'s `x-required-scope` names the scope its key must hold.',
    )
    .setVersion(options.version ?? '1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (`ik_...`), not a JWT' }, OPENAPI_BEARER)
    .addSecurityRequirements(OPENAPI_BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const [path, item] of Object.entries(document.paths)) {
    if (!PUBLIC_PATHS.has(path)) continue;
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === 'object' && 'responses' in operation) operation.security = [];
    }
  }
  return document;
}

/**
 * Serves the document at /openapi.json and Swagger UI at /docs. Call it after creating the app
 * and before `init()`/`listen()`: Nest installs its 404 handler at init, and routes added after it
 * would never be reached. The document itself is built on first request, once every module is in.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions = {}): void {
  if ((app as { isInitialized?: boolean }).isInitialized) {
    throw new Error('setupOpenApi(app) must run before app.init() or app.listen(): afterwards /openapi.json and /docs would answer 404');
  }
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup('docs', app, () => (document ??= buildOpenApiDocument(app, options)), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: options.title ?? 'Incident platform API',
  });
}
