package dev.tlogmigrate.transforms.storage;

/**
 * A create-only write of an immutable object (a tile, a bundle, an issuer) found the object there
 * already, holding other bytes: nothing was written. Only {@link LogStorage#replaceUncommitted}
 * writes over it, and only a caller that knows no committed tree state refers to it.
 */
public final class ObjectDiffersException extends PreconditionFailedException {
  public ObjectDiffersException(String message) {
    super(message);
  }
}
