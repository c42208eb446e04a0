package io.touchpoint.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the build version from the jar manifest. */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"touchpoint " + (v == null ? "dev" : v)};
  }
}
