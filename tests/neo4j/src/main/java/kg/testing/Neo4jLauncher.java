package kg.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts Neo4j Community in this process for kg's tests and prints one line, {@code BOLT bolt://127.0.0.1:PORT},
 * once it accepts connections; stops it when standard input closes.
 *
 * <p>Arguments: the folder {@code LOAD CSV} may read ({@code file:///name.csv} is a file there), the password
 * of the user {@code neo4j}, and optionally a data folder ({@code databases/neo4j} and {@code transactions/neo4j}
 * inside, as {@code neo4j-admin database import} leaves them) to start from instead of an empty database. Authentication is on, so wrong credentials are refused as they would be in
 * production; the Bolt connector listens on 127.0.0.1 only; the HTTP server is off.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: Neo4jLauncher IMPORT_DIR PASSWORD [DATA_DIR]");
            System.exit(2);
        }
        Path importDir = Path.of(args[0]).toAbsolutePath();
        String password = args[1];
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var builder = Neo4jBuilders.newInProcessBuilder();
        if (args.length == 3) {
            builder = builder.withConfig(GraphDatabaseSettings.data_directory, Path.of(args[2]).toAbsolutePath());
        }
        Neo4j neo4j = builder
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .withConfig(GraphDatabaseSettings.allow_file_urls, true)
                .build();
        // The embedded API needs no login: give the built-in user its password (a parameter, not spliced text).
        neo4j.databaseManagementService().database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                java.util.Map.of("password", password));
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        System.out.println("BOLT bolt://127.0.0.1:" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the test to close our standard input
        }
        neo4j.close();
        System.exit(0);
    }
}
