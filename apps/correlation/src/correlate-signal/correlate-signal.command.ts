// What correlation derives from a classified signal (the observation, the classification, the
// incident id it would open, the command) lives in the incident-domain lib, shared with
// `incidentctl replay` so that a replay decides on exactly these inputs. It reads
// SignalClassified v2: the observation's userId is the user's pseudonym (userRef).
export { classificationOf, correlateSignalCommand, incidentIdFor, observationOf } from '@incident/incident-domain';
