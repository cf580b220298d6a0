import 'reflect-metadata';
import type { Provider, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';

/**
 * The OpenAPI document Nest generates for `controllers` alone: built, described, closed. Wiring
 * only: no server listens, and `providers` stand in for what the controllers inject (never called).
 */
export async function openApiDocumentOf(controllers: Type[], providers: Provider[]): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({ controllers, providers }).compile();
  const app = moduleRef.createNestApplication();
  try {
    return SwaggerModule.createDocument(app, new DocumentBuilder().build());
  } finally {
    await app.close();
  }
}
