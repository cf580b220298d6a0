/** incidentctl's own version, recorded in what it exports. */
export const INCIDENTCTL_VERSION = '0.1.0';
export const TOOL = `incidentctl ${INCIDENTCTL_VERSION}`;
