import { NotFoundException } from '@nestjs/common';

export function incidentNotFound(id: string, asOf?: { at?: Date; version?: number }): NotFoundException {
  const when = [asOf?.at ? `recorded at or before ${asOf.at.toISOString()}` : '', asOf?.version ? `up to version ${asOf.version}` : '']
    .filter(Boolean)
    .join(' and ');
  const message = when ? `incident ${id} has no opening event ${when}` : `no incident ${id}`;
  return new NotFoundException({ error: 'not_found', message });
}
