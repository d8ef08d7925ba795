package org.cnnzoo.zoo.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kind of model folder or file that a module outside the zoo knows how to load (transfer's run folders), found
 * with {@link java.util.ServiceLoader}: the zoo's loader asks each source before its own formats.
 */
public interface ModelSource {
    /** The model at {@code path}, or empty when this source does not recognise it. */
    Optional<LoadedModel> load(Path path, ModelRequest request) throws IOException;
}
