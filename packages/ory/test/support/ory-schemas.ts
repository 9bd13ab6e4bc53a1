export { loadOryConfigValidators as loadOryValidators, validationErrors as errorsOf } from '@crdb-ory/reference-data';
