package io.touchpoint.jobs.support;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures what the run logs (Touchpoint at INFO, Spark, Delta and the rest at their configured
 * levels: what a user sees on the console) while open.
 */
public final class LogCapture implements AutoCloseable {
  private final StringWriter text = new StringWriter();
  private final WriterAppender appender;
  private final LoggerContext context;

  private LogCapture() {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(text)
        .setLayout(PatternLayout.newBuilder().withPattern("%-5p %c{1}: %m%n%throwable").build()).build();
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    config.getLoggers().values().forEach(l -> {
      if (l != config.getRootLogger() && !l.isAdditive()) {
        l.addAppender(appender, Level.ALL, null);
      }
    });
    context.updateLoggers();
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(appender.getName());
    config.getLoggers().values().forEach(l -> l.removeAppender(appender.getName()));
    context.updateLoggers();
    appender.stop();
  }
}
