import { IsNotEmpty, IsString } from 'class-validator';

// The body of POST /api/login (JSON) and of POST /api/token (form fields).
export class CredentialsDto {
  @IsString()
  @IsNotEmpty()
  username!: string;

  @IsString()
  @IsNotEmpty()
  password!: string;
}
