import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyRegistry, hasScope, type Principal, type Scope } from './api-keys';

const SCOPE = 'incident:required-scope';
const PUBLIC = 'incident:public';

/** The scope a route needs. A route with neither this nor @Public() needs `admin`: deny by default. */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPE, scope);
/** Health and metrics endpoints: no credentials, nothing sensitive. */
export const Public = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = Request & { principal?: Principal };

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const scope = this.reflector.getAllAndOverride<Scope>(SCOPE, targets) ?? 'admin';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const auth = this.keys.authenticate(request.headers.authorization);
    if (!auth.ok) throw new UnauthorizedException({ error: 'unauthorized', message: auth.reason });
    if (!hasScope(auth.principal, scope)) {
      throw new ForbiddenException({ error: 'forbidden', message: `API key "${auth.principal.name}" lacks the scope "${scope}"` });
    }
    request.principal = auth.principal;
    return true;
  }
}
