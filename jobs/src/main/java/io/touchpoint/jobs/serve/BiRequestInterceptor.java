package io.touchpoint.jobs.serve;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.sparkproject.connect.grpc.ForwardingServerCall;
import org.sparkproject.connect.grpc.ForwardingServerCallListener;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;
import org.sparkproject.connect.grpc.Status;
import org.sparkproject.connect.protobuf.Descriptors.FieldDescriptor;
import org.sparkproject.connect.protobuf.Message;

/**
 * The gRPC side of a {@link AccessRole#BI} endpoint ({@code spark.connect.grpc.interceptor.classes}),
 * for what happens before a plan is analysed and so before {@link AccessPolicy} sees it:
 * <ul>
 *   <li>no artifacts: a client may not upload jars, class files or Python files, which a later
 *       request could load on the server (a data source class is instantiated while a read is
 *       resolved);</li>
 *   <li>no code: user-defined functions, typed lambdas ({@code map}, {@code filter(func)}) and
 *       Python data sources arrive as serialized closures or class names, which the server would
 *       deserialise or load while planning, before a plan exists to check;</li>
 *   <li>no command but SQL (which {@link AccessPolicy} judges), temporary views and the client's
 *       housekeeping: no writes, streams, registrations, checkpoints, ML or external commands;</li>
 *   <li>a DataFrame read by path ({@code spark.read().load(path)}) outside the readable folder is
 *       refused before Spark lists the folder or infers its schema, so the answer does not even
 *       say whether the path exists; a read of a source that is not files ({@code jdbc}, a class
 *       name) is refused before Spark connects to it.</li>
 * </ul>
 * Refusals close the call with {@code PERMISSION_DENIED} and a message saying why.
 */
public final class BiRequestInterceptor implements ServerInterceptor {
  /** Commands a BI client may send: SQL (judged by {@link AccessPolicy}), temporary views and client housekeeping. */
  static final Set<Command.CommandTypeCase> ALLOWED_COMMANDS = EnumSet.of(Command.CommandTypeCase.SQL_COMMAND,
      Command.CommandTypeCase.CREATE_DATAFRAME_VIEW, Command.CommandTypeCase.REMOVE_CACHED_REMOTE_RELATION_COMMAND,
      Command.CommandTypeCase.GET_RESOURCES_COMMAND);

  /**
   * Messages that carry code: serialized Scala closures (Java-deserialised on the server, before
   * any plan exists), Python functions, Java UDF class names, Python data sources.
   */
  static final Set<String> CODE = Set.of("CommonInlineUserDefinedFunction", "CommonInlineUserDefinedTableFunction",
      "CommonInlineUserDefinedDataSource", "ScalarScalaUDF", "JavaUDF", "PythonUDF", "PythonUDTF", "PythonDataSource");

  /**
   * Sources a DataFrame reader may name: files, judged by path here and by {@link AccessPolicy}.
   * Others (jdbc, kafka, a class name) would connect or run code while the read is resolved.
   */
  static final Set<String> FILE_FORMATS = Set.of("delta", "parquet", "json", "csv", "orc", "text", "avro", "binaryfile");

  private final AccessPolicy policy;

  /** Built by Spark Connect (a no-argument constructor), from the Spark context's settings. */
  public BiRequestInterceptor() {
    this(fromConf());
  }

  BiRequestInterceptor(AccessPolicy policy) {
    this.policy = policy;
  }

  private static AccessPolicy fromConf() {
    var conf = SparkEnv.get().conf();
    AccessRole role = AccessRole.parse(conf.get(AccessTierExtension.ROLE, "analyst"));
    URI readable = URI.create(conf.get(AccessTierExtension.READABLE, "file:/nonexistent/touchpoint-serve-readable"));
    return new AccessPolicy(role, readable, org.apache.spark.deploy.SparkHadoopUtil.get().conf());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (policy.role() == AccessRole.ANALYST) {
      return next.startCall(call, headers);
    }
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.equals(SparkConnectServiceGrpc.getAddArtifactsMethod().getFullMethodName())) {
      call.close(denied("upload artifacts (jars, classes, files)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    // Another interceptor (the token check) may close the call first; then there is nothing to refuse.
    boolean[] closed = {false};
    ServerCall<Q, R> tracked = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        closed[0] = true;
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> delegate = next.startCall(tracked, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        String refusal = !closed[0] && message instanceof Message m ? refusal(m) : null;
        if (refusal != null) {
          tracked.close(denied(refusal), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!closed[0]) {
          super.onHalfClose();
        }
      }
    };
  }

  private Status denied(String what) {
    return Status.PERMISSION_DENIED.withDescription(io.touchpoint.errors.Errors
        .accessDenied(policy.role().label(), what, AccessRole.AGGREGATES).getMessage());
  }

  /** The first thing in a request a BI client may not do, or null. */
  String refusal(Message request) {
    if (policy.role() == AccessRole.ANALYST
        || !(request instanceof ExecutePlanRequest) && !(request instanceof AnalyzePlanRequest)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    visit(request, out);
    return out.isEmpty() ? null : out.get(0);
  }

  private void visit(Message m, List<String> out) {
    if (m instanceof Command c && !ALLOWED_COMMANDS.contains(c.getCommandTypeCase())) {
      out.add("run the command " + c.getCommandTypeCase());
    }
    if (CODE.contains(m.getDescriptorForType().getName())) {
      out.add("send code to the server (" + m.getDescriptorForType().getName() + ": a user-defined function or typed lambda)");
    }
    if (m instanceof Read.DataSource ds) {
      if (ds.hasFormat() && !FILE_FORMATS.contains(ds.getFormat().toLowerCase(java.util.Locale.ROOT))) {
        out.add("read from the source '" + ds.getFormat() + "'");
      }
      List<String> paths = new ArrayList<>(ds.getPathsList());
      if (ds.getOptionsMap().containsKey("path")) {
        paths.add(ds.getOptionsMap().get("path"));
      }
      for (String p : paths) {
        if (!policy.readable(new Path(p))) {
          out.add("read " + p);
        }
      }
    }
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (f.getKey().isRepeated()) {
        for (Object o : (List<?>) f.getValue()) {
          visit((Message) o, out);
        }
      } else {
        visit((Message) f.getValue(), out);
      }
    }
  }
}
