import { testCheck } from '../support/tester.js';
import { rbacEventsDelete } from './check.js';

testCheck(rbacEventsDelete, import.meta.dirname);
