import { testCheck } from '../support/tester.js';
import { imageBaseNotApproved } from './check.js';

testCheck(imageBaseNotApproved, import.meta.dirname);
