/** Helpers shared by the engine's packages. */
package io.tidemark.engine.util;
