// Lets cucumber-js import the TypeScript step files: loaded before them (see cucumber.mjs).
import { register } from "tsx/esm/api";

register();
