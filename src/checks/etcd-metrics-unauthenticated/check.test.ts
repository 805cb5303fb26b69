import { testCheck } from '../support/tester.js';
import { etcdMetricsUnauthenticated } from './check.js';

testCheck(etcdMetricsUnauthenticated, import.meta.dirname);
