using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Scoring.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VersionCheckInDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ScoreVersionBase",
                table: "scored_years",
                type: "bigint",
                nullable: true);

            // The database refuses an update of a year made from another version than the row's (BuildingBlocks' VersionCheck).
            // Written out here, not built by VersionCheck: a migration must not change when that code does.
            migrationBuilder.Sql("""
                CREATE FUNCTION "scored_years_version_check"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."ScoreVersionBase" IS DISTINCT FROM OLD."ScoreVersion" THEN
                        RAISE EXCEPTION 'version conflict: % is at version %, the writer read version %', TG_TABLE_NAME, OLD."ScoreVersion", NEW."ScoreVersionBase"
                            USING ERRCODE = 'PV001';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER "scored_years_version_check" BEFORE UPDATE OF "ScoreVersionBase" ON "scored_years"
                    FOR EACH ROW EXECUTE FUNCTION "scored_years_version_check"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "scored_years_version_check" ON "scored_years";
                DROP FUNCTION IF EXISTS "scored_years_version_check"();
                """);
            migrationBuilder.DropColumn(
                name: "ScoreVersionBase",
                table: "scored_years");
        }
    }
}
