package dev.tlogmigrate.transforms.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Tessera's private integration state, {@code .state/treeState}: {@code
 * {"size":N,"root":"<base64>"}}, compact and without a newline, as Go's encoding/json writes it.
 */
public record TreeState(long size, byte[] root) implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public TreeState {
    if (size < 0 || root.length != Tiles.HASH_SIZE) {
      throw new IllegalArgumentException(
          "bad tree state: size " + size + ", root of " + root.length + " bytes");
    }
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  public String rootBase64() {
    return Base64.getEncoder().encodeToString(root);
  }

  public byte[] toJson() {
    return ("{\"size\":" + size + ",\"root\":\"" + rootBase64() + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static TreeState parse(String resource, byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      JsonNode size = node == null ? null : node.get("size");
      JsonNode root = node == null ? null : node.get("root");
      if (size == null
          || !size.canConvertToLong()
          || !size.isIntegralNumber()
          || root == null
          || !root.isTextual()) {
        throw new InvalidLogException(
            resource
                + ": not a tree state: "
                + Excerpt.of(
                    new String(json, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip()));
      }
      return new TreeState(size.asLong(), Base64.getDecoder().decode(root.asText()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidLogException(
          resource + ": not a tree state: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new InvalidLogException(resource + ": unreadable: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeState t && t.size == size && Arrays.equals(t.root, root);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 + Arrays.hashCode(root);
  }

  @Override
  public String toString() {
    return "size " + size + ", root " + rootBase64();
  }
}
