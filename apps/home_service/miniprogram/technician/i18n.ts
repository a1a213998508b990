/** The technician app's lines for t(): the shared ones (shared/src/i18n.ts) and the technician's own. */
import '@home-service/shared/src/technician/i18n'
