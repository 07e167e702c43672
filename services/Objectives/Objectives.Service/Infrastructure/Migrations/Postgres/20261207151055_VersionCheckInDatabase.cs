using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VersionCheckInDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "VersionBase",
                table: "plan_years",
                type: "bigint",
                nullable: true);

            // The database refuses an update of a year made from another version than the row's (BuildingBlocks' VersionCheck).
            // Written out here, not built by VersionCheck: a migration must not change when that code does.
            migrationBuilder.Sql("""
                CREATE FUNCTION "plan_years_version_check"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."VersionBase" IS DISTINCT FROM OLD."Version" THEN
                        RAISE EXCEPTION 'version conflict: % is at version %, the writer read version %', TG_TABLE_NAME, OLD."Version", NEW."VersionBase"
                            USING ERRCODE = 'PV001';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER "plan_years_version_check" BEFORE UPDATE OF "VersionBase" ON "plan_years"
                    FOR EACH ROW EXECUTE FUNCTION "plan_years_version_check"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "plan_years_version_check" ON "plan_years";
                DROP FUNCTION IF EXISTS "plan_years_version_check"();
                """);
            migrationBuilder.DropColumn(
                name: "VersionBase",
                table: "plan_years");
        }
    }
}
