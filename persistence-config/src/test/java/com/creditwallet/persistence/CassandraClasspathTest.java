package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding Cassandra's classpath must work from any module, and fail with a how-to otherwise. */
class CassandraClasspathTest {

    @TempDir
    Path repo;

    /** A directory with no classpath file above it. */
    @TempDir
    Path elsewhere;

    @Test
    void searchesUpwardFromTheRepoRootPropertyThenTheCurrentDirectory() throws Exception {
        Path file = writeClasspathFile();
        Path module = Files.createDirectories(repo.resolve("wallet-actors/src"));

        assertEquals(file, CassandraClasspath.locate(Map.<String, String>of()::get, Map.<String, String>of()::get, module));
        assertEquals(file, CassandraClasspath.locate(
                Map.of(CassandraClasspath.REPO_ROOT_PROPERTY, module.toString())::get, Map.<String, String>of()::get, elsewhere));
        // A repo root that is not above the file (e.g. another aggregator) falls back to the current dir.
        assertEquals(file, CassandraClasspath.locate(
                Map.of(CassandraClasspath.REPO_ROOT_PROPERTY, elsewhere.toString())::get, Map.<String, String>of()::get, module));
    }

    @Test
    void explicitFileWins() throws Exception {
        Path other = Files.writeString(repo.resolve("other.classpath"), jar().toString());
        assertEquals(other, CassandraClasspath.locate(
                Map.of(CassandraClasspath.FILE_PROPERTY, other.toString())::get, Map.<String, String>of()::get, repo));
        assertEquals(other, CassandraClasspath.locate(Map.<String, String>of()::get,
                Map.of(CassandraClasspath.FILE_ENV, other.toString())::get, repo));
    }

    @Test
    void missingFileSaysHowToBuildIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CassandraClasspath.locate(
                Map.<String, String>of()::get, Map.<String, String>of()::get, repo));
        assertTrue(e.getMessage().contains("mvn -pl persistence-config/cassandra-node generate-resources"), e.getMessage());

        IllegalStateException explicit = assertThrows(IllegalStateException.class, () -> CassandraClasspath.locate(
                Map.of(CassandraClasspath.FILE_PROPERTY, repo.resolve("nope").toString())::get,
                Map.<String, String>of()::get, repo));
        assertTrue(explicit.getMessage().contains("generate-resources"), explicit.getMessage());
    }

    @Test
    void entriesAreCheckedToExist() throws Exception {
        Path jar = jar();
        Path good = Files.writeString(repo.resolve("good"), jar + File.pathSeparator + jar + "\n");
        assertEquals(List.of(jar, jar), CassandraClasspath.entries(good));

        Path stale = Files.writeString(repo.resolve("stale"), jar + File.pathSeparator + repo.resolve("gone.jar"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CassandraClasspath.entries(stale));
        assertTrue(e.getMessage().contains("gone.jar"), e.getMessage());
    }

    private Path writeClasspathFile() throws Exception {
        Path file = repo.resolve(CassandraClasspath.RELATIVE_PATH);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, jar().toString());
    }

    private Path jar() throws Exception {
        Path jar = repo.resolve("some.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        return jar;
    }
}
