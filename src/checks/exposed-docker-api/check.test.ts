import { testCheck } from '../support/tester.js';
import { exposedDockerApi } from './check.js';

testCheck(exposedDockerApi, import.meta.dirname);
